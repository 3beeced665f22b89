// One-file VTU export of a distributed mesh with tags, regions and cell fibres, in the form
// that Source = file reads back (meshes/volume_reader.cc). See save_vtu in mesh.h; one more
// encoding than listed there: "appended" (appended base64 of zlib blocks, VTK's default).
#include <deal.II/base/mpi.h>

#include <meshes/mesh.h>
#include <meshes/mesh_gather.h>
#include <meshes/vtk_data.h>
#include <solvers/common/output.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>
#include <stdexcept>

namespace organtwin::meshes
{
  using namespace dealii;

  namespace
  {
    template <typename T>
    std::string
    pack(const std::vector<double> &v)
    {
      std::string b(v.size() * sizeof(T), '\0');
      for (std::size_t i = 0; i < v.size(); ++i)
        {
          const T x = static_cast<T>(v[i]);
          std::memcpy(&b[i * sizeof(T)], &x, sizeof(T));
        }
      return b;
    }

    class Writer
    {
    public:
      explicit Writer(const std::string &encoding)
        : enc(encoding)
      {
        if (enc != "ascii" && enc != "binary" && enc != "zlib" && enc != "raw" && enc != "appended")
          throw std::invalid_argument("save_vtu: unknown encoding " + enc);
      }

      /// <DataArray ...> element (or its appended reference) for values of VTK type `type`
      void
      array(std::ostream &o, const std::string &name, const std::string &type, unsigned int n_comp,
            const std::vector<double> &v)
      {
        o << "<DataArray type=\"" << type << "\" Name=\"" << name << "\"";
        if (n_comp > 1)
          o << " NumberOfComponents=\"" << n_comp << "\"";
        if (enc == "ascii")
          {
            o << " format=\"ascii\">\n";
            char buf[32];
            for (std::size_t i = 0; i < v.size(); ++i)
              {
                std::snprintf(buf, sizeof(buf), type[0] == 'F' ? "%.17g" : "%.0f", v[i]);
                o << buf << ((i + 1) % 9 == 0 || i + 1 == v.size() ? "\n" : " ");
              }
            o << "</DataArray>\n";
            return;
          }
        const std::string bytes = type == "Float64" ? pack<double>(v)
                                  : type == "Int64" ? pack<std::int64_t>(v)
                                  : type == "Int32" ? pack<std::int32_t>(v)
                                                    : pack<std::uint8_t>(v);
        if (enc == "raw")
          {
            o << " format=\"appended\" offset=\"" << appended.size() << "\"/>\n";
            appended += pack<std::uint64_t>({static_cast<double>(bytes.size())}) + bytes;
            return;
          }
        std::ostringstream payload;
        if (enc == "binary") // header and data encoded separately, as VTK does
          payload << vtk::base64_encode(pack<std::uint64_t>({static_cast<double>(bytes.size())}))
                  << vtk::base64_encode(bytes);
        else
          {
            // vtkZLibDataCompressor: blocks of 1 MiB, header [n, block size, last size, sizes]
            const std::size_t        block = 1 << 20;
            const std::size_t        nb    = bytes.empty() ? 0 : (bytes.size() + block - 1) / block;
            std::vector<double>      header{double(nb), double(block), double(bytes.size() - (nb ? (nb - 1) * block : 0))};
            std::string              data;
            for (std::size_t b = 0; b < nb; ++b)
              {
                const std::string c = vtk::zlib_compress(bytes.substr(b * block, block));
                header.push_back(c.size());
                data += c;
              }
            payload << vtk::base64_encode(pack<std::uint64_t>(header)) << vtk::base64_encode(data);
          }
        if (enc == "appended") // VTK's default: appended base64 of zlib blocks
          {
            o << " format=\"appended\" offset=\"" << appended.size() << "\"/>\n";
            appended += payload.str();
            return;
          }
        o << " format=\"binary\">\n" << payload.str() << "\n</DataArray>\n";
      }

      std::string enc, appended;
    };
  } // namespace

  void
  save_vtu(const Mesh &mesh, const std::string &filename, const std::vector<Tensor<1, 3>> *fibre,
           const std::vector<Tensor<1, 3>> *sheet, const std::string &encoding)
  {
    Writer             w(encoding);
    const GatheredMesh g = gather_mesh(mesh, fibre, sheet);
    if (Utilities::MPI::this_mpi_process(mesh.tria->get_communicator()) != 0)
      return;
    // cells first, then the boundary faces as cells with material -1 (and cells boundary -1)
    std::vector<double> points, conn, offsets, types, material, boundary, fib, sh;
    for (const auto &x : g.points)
      points.insert(points.end(), x.begin(), x.end());
    for (std::size_t c = 0, begin = 0; c < g.materials.size(); begin = g.cell_offsets[c++])
      {
        conn.insert(conn.end(), g.cell_vertices.begin() + begin, g.cell_vertices.begin() + g.cell_offsets[c]);
        offsets.push_back(conn.size());
        types.push_back(g.cell_offsets[c] - begin == 4 ? 10 : 12);
        material.push_back(g.materials[c]);
        boundary.push_back(-1);
      }
    fib = g.fibres;
    sh  = g.sheets;
    for (std::size_t f = 0, begin = 0; f < g.face_ids.size(); begin = g.face_offsets[f++])
      {
        conn.insert(conn.end(), g.face_vertices.begin() + begin, g.face_vertices.begin() + g.face_offsets[f]);
        offsets.push_back(conn.size());
        types.push_back(g.face_offsets[f] - begin == 3 ? 5 : 9);
        material.push_back(-1);
        boundary.push_back(g.face_ids[f]);
        fib.insert(fib.end(), 3, 0.);
        sh.insert(sh.end(), 3, 0.);
      }

    std::ostringstream o;
    o << "<?xml version=\"1.0\"?>\n"
      << "<VTKFile type=\"UnstructuredGrid\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\""
      << (encoding == "zlib" || encoding == "appended" ? " compressor=\"vtkZLibDataCompressor\"" : "") << ">\n<UnstructuredGrid>\n<FieldData>\n";
    for (const auto &[prefix, names] :
         {std::make_pair("OrganTwin boundary ", &mesh.boundary_names), std::make_pair("OrganTwin material ", &mesh.material_names)})
      for (const auto &[n, id] : *names)
        o << "<DataArray type=\"Int32\" Name=\"" << prefix << n << "\" NumberOfTuples=\"1\" format=\"ascii\">" << id
          << "</DataArray>\n";
    o << "</FieldData>\n<Piece NumberOfPoints=\"" << points.size() / 3 << "\" NumberOfCells=\"" << types.size()
      << "\">\n<Points>\n";
    w.array(o, "Points", "Float64", 3, points);
    o << "</Points>\n<Cells>\n";
    w.array(o, "connectivity", "Int64", 1, conn);
    w.array(o, "offsets", "Int64", 1, offsets);
    w.array(o, "types", "UInt8", 1, types);
    o << "</Cells>\n<CellData Scalars=\"material\">\n";
    w.array(o, "material", "Int32", 1, material);
    w.array(o, "boundary", "Int32", 1, boundary);
    if (fibre)
      w.array(o, "fibre", "Float64", 3, fib);
    if (sheet)
      w.array(o, "sheet", "Float64", 3, sh);
    o << "</CellData>\n</Piece>\n</UnstructuredGrid>\n";
    if (encoding == "raw" || encoding == "appended")
      o << "<AppendedData encoding=\"" << (encoding == "raw" ? "raw" : "base64") << "\">\n_" << w.appended
        << "\n</AppendedData>\n";
    o << "</VTKFile>\n";
    write_file_atomic(filename, o.str());
  }
} // namespace organtwin::meshes
