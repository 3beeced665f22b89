#pragma once
// Internal to meshes/: the pieces of the VTK file formats that the surface reader (VTP)
// and the volume reader (VTU, legacy VTK) share: base64 (inline and appended, header and
// data encoded together or separately), zlib-compressed blocks (vtkZLibDataCompressor),
// typed little-endian arrays and a scan of a VTK XML file into named arrays per section.
// VTK itself is not used (not in the stack); only the subset that VTK, ParaView and
// deal.II DataOut write is read.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace organtwin::meshes::vtk
{
  /// One data array: values as doubles, tuple size.
  struct Array
  {
    std::vector<double> values;
    unsigned int        n_components = 1;
    std::size_t         n_tuples() const { return n_components ? values.size() / n_components : 0; }
  };

  /// section ("Points", "Cells", "Polys", "PointData", "CellData", "FieldData", ...) ->
  /// array name -> array. Arrays without a Name get "" (the Points array, for instance).
  using Sections = std::map<std::string, std::map<std::string, Array>>;

  /// Read a VTK XML file of the given type ("PolyData", "UnstructuredGrid"): ascii, inline
  /// binary (base64) or appended (base64 or raw) arrays, zlib-compressed or not, UInt32 or
  /// UInt64 headers, little endian. Throws std::runtime_error with the reason.
  Sections read_xml(const std::string &filename, const std::string &type);

  /// Typed little-endian bytes -> doubles. type: VTK XML names (Float32, Int64, ...).
  std::vector<double> to_doubles(const std::string &bytes, const std::string &type);

  /// Value of attribute `name` in an XML start tag ("" if absent).
  std::string attribute(const std::string &tag, const std::string &name);

  /// Encoders for writers: base64 of bytes, zlib compression of one block.
  std::string base64_encode(const std::string &bytes);
  std::string zlib_compress(const std::string &bytes);

  /// Lower-case extension of a file name without the dot.
  std::string lower_extension(const std::string &filename);
} // namespace organtwin::meshes::vtk
