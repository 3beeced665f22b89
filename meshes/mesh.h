#pragma once
// Creation of distributed meshes from a deck: an in-code box (hexahedra on p4est,
// or tetrahedra on a fully distributed triangulation), a Gmsh file, a parametric
// generator (meshes/generators.cc, Gmsh C++ API) or a closed surface meshed into
// tetrahedra (meshes/surface_import.cc).
// Length unit inside OrganTwin: mm. File coordinates are converted here, once.
//
// Use from a solver (collective on comm):
//   meshes::MeshParameters::declare_parameters(prm);      // declares [Mesh]
//   p.parse_parameters(prm, deck_file);                    // checks the entries
//   meshes::Mesh mesh = meshes::create_mesh(p, comm);      // generate/import, partition once
//   mesh.boundary_id("endo", deck + ": [Mechanics/Pressure surface]")   // name -> deal.II id
//   mesh.mapping()    // P1 (straight) or P2 (curved, Element order = 2) geometry mapping
//   mesh.fe_degree()  // element order requested in [Mesh/Element order]

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/fe/mapping.h>

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace organtwin::meshes
{
  /// [Mesh/Size near points]: element size `size` within `radius` of `centre` (all mm)
  struct SizeNearPoint
  {
    dealii::Point<3> centre;
    double           size, radius;
  };

  struct MeshParameters
  {
    static void declare_parameters(dealii::ParameterHandler &prm);
    /// prm must be at top level; reads subsection "Mesh". deck is for messages.
    void parse_parameters(dealii::ParameterHandler &prm, const std::string &deck);

    std::string      prm_source       = "box"; ///< box | file | generator | surface | prepared
    std::string      prm_element_type = "hex"; ///< hex | tet (box only)
    dealii::Point<3> prm_lower, prm_upper;     ///< [mm]
    double           prm_element_size = 0.5;   ///< [mm]
    unsigned int     prm_order        = 1;     ///< element (and geometry) order, 1 or 2
    std::string      prm_file;
    double           prm_unit_to_mm = 1.0;
    std::string      prm_unit       = "mm";
    std::string      prm_generator  = "land_lv";
    /// generator parameters by name (e.g. "Endo short radius" -> 7), from [Mesh/<Generator>]
    std::map<std::string, double>      prm_shape;
    std::map<std::string, std::string> prm_shape_text;
    /// refinement near tags: name -> element size [mm] ("Size near tags")
    std::map<std::string, double> prm_size_near;
    /// refinement near points ("Size near points")
    std::vector<SizeNearPoint> prm_size_points;
    double                        prm_size_near_distance = 2.0; ///< [mm] width of the transition
    // surface import
    double      prm_feature_angle = 40;  ///< [deg] patch split angle (0: one patch)
    std::string prm_patch_names;         ///< "name@x,y,z; ..." seed points for patch names
    std::string prm_plane_tags;          ///< "name: px,py,pz: nx,ny,nz: tol" planes for patches
    double      prm_max_memory_gb = 0;   ///< 0: MemAvailable from /proc/meminfo
    // volume files (.vtu/.vtk with Source = file): names of the arrays to read
    std::string prm_material_array;  ///< integer cell array -> material ids ("" = all 0)
    std::string prm_boundary_array;  ///< integer cell array on triangles/quads -> boundary ids
    std::string prm_boundary_names;  ///< "endo: 1; epi: 2" names of boundary ids
    std::string prm_fibre_array;     ///< point or cell vectors -> Mesh::cell_fibre ("" = none)
    std::string prm_sheet_array;     ///< point or cell vectors -> Mesh::cell_sheet (optional)
    std::string prm_deck = "<deck>";     ///< deck file name, for messages
  };

  /// Element quality of a tetrahedral mesh (computed on the distributed mesh).
  struct Quality
  {
    unsigned long n_cells          = 0;
    double        min_scaled_jacobian = 1, mean_scaled_jacobian = 1; ///< 1 for the regular tet
    double        min_radius_ratio = 1, mean_radius_ratio = 1;       ///< 3 r_in / r_circ, 1 regular
    double        max_aspect_ratio = 1;                              ///< longest edge / (2 sqrt(6) r_in)
    double        volume = 0;                                        ///< [mm^3]
  };

  class Mesh
  {
  public:
    Mesh();
    ~Mesh();
    Mesh(Mesh &&) noexcept;
    Mesh &operator=(Mesh &&) noexcept;

    std::unique_ptr<dealii::parallel::TriangulationBase<3>> tria;
    bool        simplex = false;
    double      h       = 0;   ///< nominal element size [mm]
    std::string description;   ///< one line for the banner and summary
    std::string deck = "<deck>";

    /// tag name -> boundary id (and material name -> material id); identical on every rank
    std::map<std::string, unsigned int> boundary_names;
    std::map<std::string, unsigned int> material_names;
    /// P2 only: curved position of the mid-edge node, keyed by the straight midpoint
    std::map<std::array<double, 3>, dealii::Point<3>> curved_midpoints;
    unsigned int order = 1;
    /// fibre and sheet per active cell (index active_cell_index(), locally owned cells),
    /// when the mesh came with fibres (Source = prepared with fibres, or Source = file with a
    /// .vtu/.vtk and [Mesh/Fibre array]); empty otherwise
    std::vector<dealii::Tensor<1, 3>> cell_fibre, cell_sheet;
    /// false when cell_sheet is not the tissue's sheet but an arbitrary unit vector normal to
    /// the fibre: a .vtu/.vtk with [Mesh/Fibre array] and no [Mesh/Sheet array], or a
    /// .otmesh prepared from one. Orthotropic models must refuse such a mesh.
    bool sheets_given = true;

    /// The boundary id of a named tag; InputError naming `where` (the deck entry that asked
    /// for it) and the available tags if the mesh has no such tag.
    unsigned int boundary_id(const std::string &name, const std::string &where = "") const;
    bool         has_boundary(const std::string &name) const { return boundary_names.count(name) > 0; }
    /// Name of a boundary id ("" if unnamed).
    std::string boundary_name(unsigned int id) const;
    /// Element order from [Mesh/Element order].
    unsigned int fe_degree() const { return order; }
    /// Geometry mapping: P1/Q1 for order 1; for order 2 on tetrahedra the curved P2 geometry
    /// that Gmsh produced (MappingFEField). Valid while the Mesh lives.
    const dealii::Mapping<3> &mapping() const;

    /// Sum over ranks of the area [mm^2] of the boundary faces with this id.
    double boundary_area(unsigned int id) const;
    /// Total volume [mm^3] of the locally owned cells, summed over ranks.
    double volume() const;
    /// Volume [mm^3] enclosed by the surface `tag` and the plane (x - p).e = 0 (a cavity
    /// closed by a base plane; e points out of the cavity through the plane). Computed
    /// exactly for the mesh's geometry (P1 or P2 faces) with the divergence theorem.
    double cavity_volume(unsigned int tag, const dealii::Point<3> &p, const dealii::Tensor<1, 3> &e) const;
    /// Quality of the tetrahedra (hex meshes: volume only).
    Quality quality() const;

  private:
    struct MappingData;
    mutable std::unique_ptr<MappingData> mapping_data;
  };

  /// Build the mesh described by p on comm (collective).
  Mesh create_mesh(const MeshParameters &p, MPI_Comm comm);

  /// Save a prepared tetrahedral mesh (geometry, tags and their names, P2 nodes, and
  /// fibre/sheet per cell if given, sizes n_active_cells) in OrganTwin's binary format
  /// (.otmesh), readable with Source = prepared on any number of ranks. sheets_given = false
  /// records that the sheets are arbitrary normals to the fibres (Mesh::sheets_given).
  /// Collective.
  void save_prepared(const Mesh &mesh, const std::string &filename,
                     const std::vector<dealii::Tensor<1, 3>> *fibre = nullptr,
                     const std::vector<dealii::Tensor<1, 3>> *sheet = nullptr, bool sheets_given = true);

  /// Write the mesh as one VTK XML UnstructuredGrid file that Source = file reads back:
  /// shared points, the cells, the boundary faces as triangles/quads, cell arrays "material"
  /// (volume cells; -1 on faces), "boundary" (faces; -1 on volume cells), and "fibre"/"sheet"
  /// if given (per active cell, zero on faces); the tag and region names are stored as field
  /// data ("OrganTwin boundary <name>" = id). encoding: ascii | binary (base64) | zlib
  /// (base64 of zlib blocks) | raw (appended raw data). Collective; rank 0 writes atomically.
  void save_vtu(const Mesh &mesh, const std::string &filename, const std::vector<dealii::Tensor<1, 3>> *fibre = nullptr,
                const std::vector<dealii::Tensor<1, 3>> *sheet = nullptr, const std::string &encoding = "zlib");

  /// Memory available to the process [GiB] (MemAvailable of /proc/meminfo, or 4 if unknown).
  double available_memory_gb();
} // namespace organtwin::meshes
