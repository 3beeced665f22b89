#pragma once
// Internal to meshes/: the Gmsh session, the parametric generators and the conversion
// of the current Gmsh model (tetrahedra + named physical groups) to a serial deal.II
// triangulation. Only rank 0 runs Gmsh; meshes/mesh.cc partitions the result once.

#include <deal.II/grid/tria.h>

#include <meshes/mesh.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace organtwin::meshes
{
  /// RAII: gmsh::initialize/finalize, quiet, one thread, deterministic.
  class GmshSession
  {
  public:
    explicit GmshSession(const std::string &model_name);
    ~GmshSession();
    GmshSession(const GmshSession &) = delete;
    GmshSession &operator=(const GmshSession &) = delete;
  };

  /// One entry of a generator's deck subsection [Mesh/<section>].
  struct GeneratorEntry
  {
    std::string name, default_value, doc;
    bool        numeric = true;
  };

  /// Element size near a tagged surface: size at the surface [mm], growing linearly to the
  /// global size over `distance` [mm] (Gmsh Distance + Threshold fields).
  struct SizeNear
  {
    std::string tag;
    double      size, distance;
  };

  /// A parametric shape. build() creates the geometry in the current Gmsh model
  /// (OpenCASCADE kernel, synchronised) and its named physical surface groups (the tags)
  /// and volume groups (the regions); mesh size options are set by the caller.
  struct Generator
  {
    std::string                 name;    ///< value of [Mesh/Generator]
    std::string                 section; ///< subsection of [Mesh] with its entries
    std::string                 summary;
    std::vector<GeneratorEntry> entries;
    std::vector<std::string>    tags;    ///< boundary tags it always creates
    double                      default_size; ///< [mm] element size when [Mesh/Element size] = 0
    std::function<void(const MeshParameters &)> build;
    /// rough volume [mm^3] of the meshed domain, for the memory estimate
    std::function<double(const MeshParameters &)> volume;
    /// optional: the tag of a surface point (x in mm); when set, every Gmsh surface gets the
    /// tag that the majority of its surface-mesh nodes receive (see classify_surfaces)
    std::function<std::string(const MeshParameters &, const dealii::Point<3> &)> point_tag = nullptr;
    /// optional: the generator's own size control near some of its tags (e.g. stent struts);
    /// [Mesh/Size near tags] entries for the same tag take precedence
    std::function<std::vector<SizeNear>(const MeshParameters &)> size_near = nullptr;
    /// optional: a smooth map x -> x (mm) applied to every node of the finished mesh (vertices
    /// and P2 nodes) before conversion, e.g. bending a straight vessel onto an arc; it must
    /// keep the tetrahedra positively oriented
    std::function<void(const MeshParameters &, double *)> node_map = nullptr;
  };

  /// Tag the surfaces of the current (built, synchronised) Gmsh model with g.point_tag:
  /// a trial surface mesh at size h, a vote over each surface's nodes, one physical group per
  /// tag; the trial mesh is then cleared.
  void classify_surfaces(const Generator &g, const MeshParameters &p, double h);

  const std::vector<Generator> &generators();
  const Generator             &find_generator(const std::string &name, const std::string &where);

  /// Result of meshing on rank 0.
  struct SerialMesh
  {
    dealii::Triangulation<3>                          tria;
    std::map<std::string, unsigned int>               boundary_names, material_names;
    std::map<std::array<double, 3>, dealii::Point<3>> curved_midpoints;
    std::string                                       note; ///< a remark for the mesh description
    double                                            h = 0; ///< element size used [mm]
  };

  /// Mesh the current Gmsh model in 3D with global size h [mm] (and the size fields of p),
  /// order 1 or 2, and convert it, scaling coordinates by unit_to_mm. Physical surface
  /// groups become boundary ids 1, 2, ... in name order (untagged boundary faces keep id 0,
  /// named "untagged"); physical volume groups become material ids.
  void mesh_and_convert(const MeshParameters &p, double h, SerialMesh &out, double unit_to_mm = 1.0);

  /// Convert the current (already meshed) Gmsh model.
  void convert_gmsh_model(SerialMesh &out, double unit_to_mm);

  /// Read a .otmesh file (meshes/prepared.cc) on rank 0; fibres: 6 doubles per cell or empty;
  /// sheets_given: false if the stored sheets are arbitrary normals to the fibres.
  void load_prepared(const MeshParameters &p, SerialMesh &out, std::vector<double> &fibres, unsigned int &order,
                     bool &sheets_given);
  /// Broadcast the per-serial-cell fibres of rank 0 and keep those of the local cells.
  void attach_cell_fibres(Mesh &mesh, const std::vector<double> &fibres_on_root, MPI_Comm comm);

  /// Closed surface file (STL/PLY/OBJ/VTK/VTP) -> classified, tagged, tetrahedralised.
  void import_surface(const MeshParameters &p, SerialMesh &out);
} // namespace organtwin::meshes
