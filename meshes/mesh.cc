#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/fully_distributed_tria.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_fe_field.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_in.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/tria_description.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <meshes/gmsh_bridge.h>
#include <meshes/mesh.h>
#include <meshes/mesh_timing.h>
#include <meshes/volume_reader.h>
#include <solvers/common/parameters.h>

#include <chrono>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace organtwin::meshes
{
  using namespace dealii;

  namespace
  {
    double
    unit_factor(const std::string &u)
    {
      return u == "um" ? 1e-3 : u == "mm" ? 1. : u == "cm" ? 10. : 1000.;
    }

    /// "name: value; name: value" -> map (values in mm)
    std::map<std::string, double>
    parse_named_sizes(const std::string &text, const std::string &where)
    {
      std::map<std::string, double> out;
      for (const auto &item : Utilities::split_string_list(text, ';'))
        {
          if (item.empty())
            continue;
          const auto kv = Utilities::split_string_list(item, ':');
          input_check(kv.size() == 2, where + " = \"" + text + "\"",
                      "expected \"tag: size; tag: size\" (sizes in mm), got \"" + item + "\"");
          double v = 0;
          try
            {
              v = std::stod(kv[1]);
            }
          catch (...)
            {
              v = -1;
            }
          input_check(v > 0, where + " = \"" + text + "\"", "the size of \"" + kv[0] + "\" must be a number > 0 (mm)");
          out[kv[0]] = v;
        }
      return out;
    }

    /// "x, y, z: size[: radius]; ..." [mm] -> (point, size, radius); radius default 4 size
    std::vector<SizeNearPoint>
    parse_point_sizes(const std::string &text, const std::string &where)
    {
      std::vector<SizeNearPoint> out;
      for (const auto &item : Utilities::split_string_list(text, ';'))
        {
          if (item.empty())
            continue;
          const auto             kv = Utilities::split_string_list(item, ':');
          std::vector<double>    v;
          bool                   ok = kv.size() == 2 || kv.size() == 3;
          if (ok)
            try
              {
                for (const auto &c : Utilities::split_string_list(kv[0], ','))
                  v.push_back(std::stod(c));
                for (std::size_t k = 1; k < kv.size(); ++k)
                  v.push_back(std::stod(kv[k]));
              }
            catch (...)
              {
                ok = false;
              }
          ok = ok && v.size() == kv.size() + 2 && std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
          input_check(ok, where + " = \"" + text + "\"",
                      "expected \"x, y, z: size; x, y, z: size: radius\" (coordinates, sizes and radii in mm), got \"" +
                        item + "\"");
          input_check(v[3] > 0 && (v.size() < 5 || v[4] >= 0), where + " = \"" + text + "\"",
                      "the size at (" + kv[0] + ") must be > 0 and its radius >= 0 (mm)");
          out.push_back({Point<3>(v[0], v[1], v[2]), v[3], v.size() == 5 ? v[4] : 4 * v[3]});
        }
      return out;
    }
  } // namespace

  void
  MeshParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Mesh");
    prm.declare_entry("Source", "box", Patterns::Selection("box|file|generator|surface|prepared"),
                      "box: a generated cuboid; file: a volume mesh, Gmsh .msh, or VTK .vtu (XML UnstructuredGrid) / "
                      ".vtk (legacy UNSTRUCTURED_GRID) chosen by the extension of File (VTK: tetrahedra or "
                      "hexahedra, triangles/quads in the file are boundary faces; see Material array, Boundary "
                      "array, Boundary names, Fibre array); generator: a parametric shape "
                      "meshed with Gmsh (see Generator); surface: a closed triangle surface (STL, PLY, OBJ, VTK, "
                      "VTP) meshed into tetrahedra with Gmsh; prepared: a .otmesh file written by `organtwin mesh` "
                      "(tags, P2 nodes and fibres included; fast to load on any number of ranks)");
    prm.declare_entry("Element type", "hex", Patterns::Selection("hex|tet"),
                      "box only: hexahedra (Q1, p4est) or tetrahedra (P1, fully distributed; each hex is split "
                      "into 24 tetrahedra with extra nodes at face and cell centres, so there are about 3.5 times "
                      "as many nodes as on the hex mesh)");
    prm.declare_entry("Box lower corner", "0,0,0", Patterns::Anything(), "[mm] x,y,z of the lower corner");
    prm.declare_entry("Box upper corner", "20,7,3", Patterns::Anything(), "[mm] x,y,z of the upper corner");
    prm.declare_entry("Element size", "0", Patterns::Double(0.),
                      "[mm] edge length of the box elements; target tetrahedron edge length for generator and "
                      "surface meshes; 0 = default (box 0.5 mm, generators their own default, surfaces the mean "
                      "edge length of the surface triangles)");
    prm.declare_entry("Element order", "1", Patterns::Integer(1, 2),
                      "generator/surface: 1 = straight P1 tetrahedra; 2 = curved P2 geometry (Gmsh places the "
                      "mid-edge nodes on the CAD surface); Mesh::mapping() returns the matching mapping and "
                      "Mesh::fe_degree() the order solvers should use");
    prm.declare_entry("Size near tags", "", Patterns::Anything(),
                      "generator/surface: \"tag: size; tag: size\" [mm] smaller elements near named surfaces "
                      "(e.g. \"struts: 0.05\"); the size grows linearly to Element size over Size transition");
    prm.declare_entry("Size near points", "", Patterns::Anything(),
                      "generator/surface: \"x, y, z: size[: radius]; ...\" [mm] element size within radius (default "
                      "4 x size) of points (e.g. the apex \"0, 0, -17: 0.5\"); beyond it the size grows linearly to "
                      "Element size over Size transition");
    prm.declare_entry("Size transition", "2", Patterns::Double(0.),
                      "[mm] distance over which the size near tags and points grows back to Element size");
    prm.declare_entry("Generator", "land_lv", Patterns::Anything(),
                      "generator: the shape; one of the names listed by `organtwin params mesh`, each with its "
                      "own subsection below");
    prm.declare_entry("File", "", Patterns::Anything(),
                      "file/surface: path of the mesh or surface file (relative to the working directory)");
    prm.declare_entry("File length unit", "mm", Patterns::Selection("um|mm|cm|m"),
                      "unit of the coordinates in the mesh file; converted to mm on reading");
    prm.declare_entry("Feature angle", "40", Patterns::Double(0, 180),
                      "surface: [deg] surface patches are split where the normals of neighbouring triangles "
                      "differ by more than this (0: no split, one patch)");
    prm.declare_entry("Patch names", "", Patterns::Anything(),
                      "surface: \"name@x,y,z; name@x,y,z\" [mm, after unit conversion]: the patch nearest to each "
                      "point gets the name; unnamed patches are called patch<k>");
    prm.declare_entry("Plane tags", "", Patterns::Anything(),
                      "surface: \"name: px,py,pz: nx,ny,nz: tol\" [mm]; triangles within tol of the plane through "
                      "p with normal n whose normal is parallel to n form the tag (e.g. an LV base or a vessel "
                      "cap); several planes separated by ';'");
    prm.declare_entry("Maximum memory", "0", Patterns::Double(0.),
                      "[GiB] refuse to mesh if the estimate exceeds this; 0 = MemAvailable of this machine");
    prm.declare_entry("Material array", "", Patterns::Anything(),
                      "file (.vtu/.vtk): name of an integer cell array giving each volume cell its material id "
                      "(region); empty: all cells get id 0");
    prm.declare_entry("Boundary array", "", Patterns::Anything(),
                      "file (.vtu/.vtk): name of an integer cell array on the triangle (VTK type 5) or quad (9) "
                      "cells of the file giving the boundary id of that face; boundary faces without a triangle get "
                      "id 0 (tag \"untagged\"); empty: all boundary faces untagged");
    prm.declare_entry("Boundary names", "", Patterns::Anything(),
                      "file (.vtu/.vtk): \"name: id; name: id\" names of boundary ids, used by the solvers' tag "
                      "entries (e.g. \"endo: 1; epi: 2; base: 3\"); every id named must occur in the file; "
                      "unnamed ids are called id<k>; empty: the names stored by `organtwin mesh` in its mesh.vtu, "
                      "else id<k>");
    prm.declare_entry("Fibre array", "", Patterns::Anything(),
                      "file (.vtu/.vtk): name of a 3-component point or cell array with the fibre direction "
                      "(cell arrays are taken as they are; point vectors are averaged over each cell's points); "
                      "normalised per cell and used by [Tissue] Fibre field = mesh; empty: no fibres from the file");
    prm.declare_entry("Sheet array", "", Patterns::Anything(),
                      "file (.vtu/.vtk), with Fibre array: name of a 3-component point or cell array with the sheet "
                      "direction, made orthogonal to the fibre per cell; empty: an arbitrary direction normal to the "
                      "fibre (fine for transversely isotropic tissue, Conductivity sheet = Conductivity normal)");
    for (const auto &g : generators())
      {
        prm.enter_subsection(g.section);
        for (const auto &e : g.entries)
          if (e.numeric)
            prm.declare_entry(e.name, e.default_value, Patterns::Double(), e.doc);
          else
            prm.declare_entry(e.name, e.default_value, Patterns::Anything(), e.doc);
        prm.leave_subsection();
      }
    prm.leave_subsection();
  }

  void
  MeshParameters::parse_parameters(ParameterHandler &prm, const std::string &deck)
  {
    prm_deck = deck;
    prm.enter_subsection("Mesh");
    prm_source       = prm.get("Source");
    prm_element_type = prm.get("Element type");
    prm_lower        = parse_point(prm.get("Box lower corner"), deck + ": [Mesh/Box lower corner]");
    prm_upper        = parse_point(prm.get("Box upper corner"), deck + ": [Mesh/Box upper corner]");
    prm_element_size = prm.get_double("Element size");
    prm_order        = prm.get_integer("Element order");
    prm_file         = prm.get("File");
    prm_unit         = prm.get("File length unit");
    prm_unit_to_mm   = unit_factor(prm_unit);
    prm_generator    = prm.get("Generator");
    prm_size_near    = parse_named_sizes(prm.get("Size near tags"), deck + ": [Mesh/Size near tags]");
    prm_size_points  = parse_point_sizes(prm.get("Size near points"), deck + ": [Mesh/Size near points]");
    prm_size_near_distance = prm.get_double("Size transition");
    prm_feature_angle      = prm.get_double("Feature angle");
    prm_patch_names        = prm.get("Patch names");
    prm_plane_tags         = prm.get("Plane tags");
    prm_max_memory_gb      = prm.get_double("Maximum memory");
    prm_material_array     = prm.get("Material array");
    prm_boundary_array     = prm.get("Boundary array");
    prm_boundary_names     = prm.get("Boundary names");
    prm_fibre_array        = prm.get("Fibre array");
    prm_sheet_array        = prm.get("Sheet array");
    if (prm_source == "generator")
      {
        const Generator &g = find_generator(prm_generator, deck + ": [Mesh/Generator] = \"" + prm_generator + "\"");
        prm.enter_subsection(g.section);
        for (const auto &e : g.entries)
          if (e.numeric)
            prm_shape[e.name] = prm.get_double(e.name);
          else
            prm_shape_text[e.name] = prm.get(e.name);
        prm.leave_subsection();
        if (prm_element_size == 0)
          prm_element_size = g.default_size;
      }
    prm.leave_subsection();
    if (prm_source == "box" && prm_element_size == 0)
      prm_element_size = 0.5;
    if (prm_source == "file")
      prm_element_size = std::max(prm_element_size, 0.);
    if (prm_source == "box")
      for (unsigned int d = 0; d < 3; ++d)
        {
          input_check(prm_upper[d] > prm_lower[d], deck + ": [Mesh/Box upper corner]",
                      "must be larger than the lower corner in every coordinate");
          const double n = (prm_upper[d] - prm_lower[d]) / prm_element_size;
          input_check(std::abs(n - std::round(n)) < 1e-6 * n && std::round(n) >= 1,
                      deck + ": [Mesh/Element size]",
                      "= " + std::to_string(prm_element_size) + " mm does not divide the box edge of length " +
                        std::to_string(prm_upper[d] - prm_lower[d]) + " mm into a whole number of elements");
        }
    else if (prm_source == "file" || prm_source == "surface" || prm_source == "prepared")
      {
        input_check(!prm_file.empty(), deck + ": [Mesh/File]",
                    "must name a " + std::string(prm_source == "file" ? ".msh, .vtu or .vtk file" : "surface file") +
                      " when Source = " + prm_source);
        std::ifstream in(prm_file);
        input_check(static_cast<bool>(in), deck + ": [Mesh/File] = \"" + prm_file + "\"",
                    "cannot open the mesh file (checked before anything is computed)");
      }
    {
      const std::string ext    = vtk::lower_extension(prm_file);
      const bool        volume = prm_source == "file" && (ext == "vtu" || ext == "vtk");
      for (const auto &[entry, value] : {std::make_pair("Material array", prm_material_array),
                                         std::make_pair("Boundary array", prm_boundary_array),
                                         std::make_pair("Boundary names", prm_boundary_names),
                                         std::make_pair("Fibre array", prm_fibre_array),
                                         std::make_pair("Sheet array", prm_sheet_array)})
        input_check(value.empty() || volume, deck + ": [Mesh/" + entry + "] = \"" + value + "\"",
                    "is read from VTK volume files only: needs Source = file with a .vtu or .vtk File");
      input_check(prm_sheet_array.empty() || !prm_fibre_array.empty(), deck + ": [Mesh/Sheet array]",
                  "needs a Fibre array too");
    }
    if (prm_source != "generator" && prm_source != "surface" && prm_source != "prepared")
      input_check(prm_order == 1, deck + ": [Mesh/Element order]", "= 2 needs Source = generator or surface");
  }

  // ---------------------------------------------------------------------------------------
  struct Mesh::MappingData
  {
    std::unique_ptr<Mapping<3>>                               mapping;
    std::unique_ptr<FESystem<3>>                              fe;
    std::unique_ptr<DoFHandler<3>>                            dh;
    LinearAlgebra::distributed::Vector<double>                positions;
  };

  Mesh::Mesh()                       = default;
  Mesh::~Mesh()                      = default;
  Mesh::Mesh(Mesh &&) noexcept       = default;
  Mesh &Mesh::operator=(Mesh &&) noexcept = default;

  unsigned int
  Mesh::boundary_id(const std::string &name, const std::string &where) const
  {
    const auto it = boundary_names.find(name);
    if (it != boundary_names.end())
      return it->second;
    std::string known;
    for (const auto &[n, id] : boundary_names)
      known += (known.empty() ? "" : ", ") + n;
    throw InputError((where.empty() ? deck : where) + ": unknown boundary tag \"" + name +
                     "\"; the mesh (" + description + ") has the tags: " + (known.empty() ? "<none>" : known));
  }

  std::string
  Mesh::boundary_name(unsigned int id) const
  {
    for (const auto &[n, i] : boundary_names)
      if (i == id)
        return n;
    return "";
  }

  const Mapping<3> &
  Mesh::mapping() const
  {
    if (mapping_data)
      return *mapping_data->mapping;
    mapping_data = std::make_unique<MappingData>();
    if (!simplex)
      mapping_data->mapping = std::make_unique<MappingQ<3>>(1);
    else if (order == 1)
      mapping_data->mapping = std::make_unique<MappingFE<3>>(FE_SimplexP<3>(1));
    else
      {
        // P2 geometry: vertices as in the triangulation, mid-edge nodes at Gmsh's curved
        // positions on the boundary (straight midpoints inside).
        auto &md = *mapping_data;
        md.fe    = std::make_unique<FESystem<3>>(FE_SimplexP<3>(2), 3);
        md.dh    = std::make_unique<DoFHandler<3>>(*tria);
        md.dh->distribute_dofs(*md.fe);
        IndexSet relevant;
        DoFTools::extract_locally_relevant_dofs(*md.dh, relevant);
        md.positions.reinit(md.dh->locally_owned_dofs(), relevant, tria->get_communicator());
        const auto                           &fe = *md.fe;
        const ReferenceCell                   ref = ReferenceCells::Tetrahedron;
        std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
        for (const auto &cell : md.dh->active_cell_iterators())
          {
            if (cell->is_artificial())
              continue;
            cell->get_dof_indices(dofs);
            for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
              {
                const unsigned int comp = fe.system_to_component_index(i).first;
                const Point<3>     xi   = fe.unit_support_point(i);
                Point<3>           x;
                bool               found = false;
                for (unsigned int v = 0; v < 4 && !found; ++v)
                  if (xi.distance(ref.vertex<3>(v)) < 1e-12)
                    {
                      x     = cell->vertex(v);
                      found = true;
                    }
                for (unsigned int l = 0; l < 16 && !found; ++l)
                  {
                    const unsigned int a = l / 4, b = l % 4;
                    if (a >= b)
                      continue;
                    if (xi.distance(0.5 * (ref.vertex<3>(a) + ref.vertex<3>(b))) < 1e-12)
                      {
                        const Point<3> m = 0.5 * (cell->vertex(a) + cell->vertex(b));
                        const auto     it = curved_midpoints.find({m[0], m[1], m[2]});
                        x                 = it == curved_midpoints.end() ? m : it->second;
                        found             = true;
                      }
                  }
                AssertThrow(found, ExcMessage("P2 support point is neither a vertex nor an edge midpoint"));
                md.positions[dofs[i]] = x[comp];
              }
          }
        md.mapping = std::make_unique<MappingFEField<3, 3, LinearAlgebra::distributed::Vector<double>>>(
          *md.dh, md.positions);
      }
    return *mapping_data->mapping;
  }

  namespace
  {
    std::unique_ptr<Quadrature<2>>
    face_quadrature(bool simplex, unsigned int n)
    {
      if (simplex)
        return std::make_unique<QGaussSimplex<2>>(n);
      return std::make_unique<QGauss<2>>(n);
    }

    std::unique_ptr<FiniteElement<3>>
    geometry_fe(bool simplex)
    {
      if (simplex)
        return std::make_unique<FE_SimplexP<3>>(1);
      return std::make_unique<FE_Q<3>>(1);
    }
  } // namespace

  namespace
  {
    /// Sum over the locally owned boundary faces with the given id of integrand(fe_face_values, q)
    /// times JxW, on all ranks; face quadrature of the given number of points per direction.
    template <typename Integrand>
    double
    boundary_integral(const Mesh &mesh, unsigned int id, unsigned int n_points, UpdateFlags flags,
                      const Integrand &integrand)
    {
      const auto      fe = geometry_fe(mesh.simplex);
      const auto      q  = face_quadrature(mesh.simplex, n_points);
      FEFaceValues<3> fv(mesh.mapping(), *fe, *q, flags | update_JxW_values);
      double          sum = 0;
      for (const auto &cell : mesh.tria->active_cell_iterators())
        if (cell->is_locally_owned())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == id)
              {
                fv.reinit(cell, f);
                for (unsigned int k = 0; k < q->size(); ++k)
                  sum += integrand(fv, k) * fv.JxW(k);
              }
      return Utilities::MPI::sum(sum, mesh.tria->get_communicator());
    }
  } // namespace

  double
  Mesh::boundary_area(unsigned int id) const
  {
    return boundary_integral(*this, id, order + 1, update_default, [](const FEFaceValues<3> &, unsigned int) {
      return 1.;
    });
  }

  double
  Mesh::volume() const
  {
    const auto fe = geometry_fe(simplex);
    std::unique_ptr<Quadrature<3>> q;
    if (simplex)
      q = std::make_unique<QGaussSimplex<3>>(order + 1);
    else
      q = std::make_unique<QGauss<3>>(2);
    FEValues<3> fv(mapping(), *fe, *q, update_JxW_values);
    double      v = 0;
    for (const auto &cell : tria->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fv.reinit(cell);
          for (unsigned int k = 0; k < q->size(); ++k)
            v += fv.JxW(k);
        }
    return Utilities::MPI::sum(v, tria->get_communicator());
  }

  double
  Mesh::cavity_volume(unsigned int tag, const Point<3> &p, const Tensor<1, 3> &e_in) const
  {
    const Tensor<1, 3> e = e_in / e_in.norm();
    // Divergence theorem with the field ((p - x).e) e ... restricted to the cavity: the
    // base plane contributes nothing because (p - x).e = 0 there. The wall's outward normal
    // on the tag points into the cavity.
    return boundary_integral(*this, tag, order + 2, update_normal_vectors | update_quadrature_points,
                             [&](const FEFaceValues<3> &fv, unsigned int k) {
                               return ((p - fv.quadrature_point(k)) * e) * (fv.normal_vector(k) * e);
                             });
  }

  Quality
  Mesh::quality() const
  {
    Quality     r;
    double      sj_sum = 0, rr_sum = 0;
    double      sj_min = 1e300, rr_min = 1e300, ar_max = 0, vol = 0;
    unsigned long n = 0;
    for (const auto &cell : tria->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          ++n;
          if (!simplex)
            {
              vol += cell->measure();
              continue;
            }
          Point<3> x[4];
          for (unsigned int v = 0; v < 4; ++v)
            x[v] = cell->vertex(v);
          const double six_v = (x[1] - x[0]) * cross_product_3d(x[2] - x[0], x[3] - x[0]);
          vol += six_v / 6;
          // scaled Jacobian: min over corners of 6V / (product of the three edge lengths), * sqrt 2
          double sj = 1e300;
          for (unsigned int c = 0; c < 4; ++c)
            {
              double prod = 1;
              for (unsigned int o = 0; o < 4; ++o)
                if (o != c)
                  prod *= x[o].distance(x[c]);
              sj = std::min(sj, std::sqrt(2.) * six_v / prod);
            }
          // radius ratio 3 r_in / R and aspect ratio longest edge / (2 sqrt 6 r_in)
          double area = 0;
          for (unsigned int f = 0; f < 4; ++f)
            {
              const Point<3> &a = x[(f + 1) % 4], &b = x[(f + 2) % 4], &c = x[(f + 3) % 4];
              area += 0.5 * cross_product_3d(b - a, c - a).norm();
            }
          const double r_in = std::abs(six_v) / 2 / area; // 3V/A
          const double a = x[0].distance(x[1]), A = x[2].distance(x[3]);
          const double b = x[0].distance(x[2]), B = x[1].distance(x[3]);
          const double c = x[0].distance(x[3]), C = x[1].distance(x[2]);
          const double pa = a * A, pb = b * B, pc = c * C;
          const double s  = (pa + pb + pc) * (pa + pb - pc) * (pa - pb + pc) * (-pa + pb + pc);
          const double R  = std::sqrt(std::max(s, 0.)) / (4 * std::abs(six_v));
          const double rr = R > 0 ? 3 * r_in / R : 0;
          const double lmax = std::max({a, A, b, B, c, C});
          const double ar   = r_in > 0 ? lmax / (2 * std::sqrt(6.) * r_in) : 1e300;
          sj_min = std::min(sj_min, sj);
          rr_min = std::min(rr_min, rr);
          ar_max = std::max(ar_max, ar);
          sj_sum += sj;
          rr_sum += rr;
        }
    const MPI_Comm comm = tria->get_communicator();
    r.n_cells           = Utilities::MPI::sum(n, comm);
    r.volume            = Utilities::MPI::sum(vol, comm);
    if (simplex)
      {
        r.min_scaled_jacobian  = Utilities::MPI::min(sj_min, comm);
        r.min_radius_ratio     = Utilities::MPI::min(rr_min, comm);
        r.max_aspect_ratio     = Utilities::MPI::max(ar_max, comm);
        r.mean_scaled_jacobian = Utilities::MPI::sum(sj_sum, comm) / r.n_cells;
        r.mean_radius_ratio    = Utilities::MPI::sum(rr_sum, comm) / r.n_cells;
      }
    return r;
  }

  double
  available_memory_gb()
  {
    std::ifstream in("/proc/meminfo");
    std::string   key;
    double        kb;
    std::string   unit;
    while (in >> key >> kb >> unit)
      if (key == "MemAvailable:")
        return kb / 1024. / 1024.;
    return 4.0;
  }

  // ---------------------------------------------------------------------------------------
  namespace
  {
    std::unique_ptr<parallel::TriangulationBase<3>>
    distribute_serial(Triangulation<3> &serial, MPI_Comm comm)
    {
      GridTools::partition_triangulation(Utilities::MPI::n_mpi_processes(comm), serial);
      const auto description = TriangulationDescription::Utilities::create_description_from_triangulation(serial, comm);
      auto       tria        = std::make_unique<parallel::fullydistributed::Triangulation<3>>(comm);
      tria->create_triangulation(description);
      return tria;
    }

    /// Rank 0 built `serial` (or failed with `error`); every rank gets its part. The
    /// serial mesh exists on rank 0 only and is partitioned once there.
    std::unique_ptr<parallel::TriangulationBase<3>>
    distribute_from_root(SerialMesh &serial, const std::string &error, Mesh &mesh, MPI_Comm comm)
    {
      const std::string err = Utilities::MPI::broadcast(comm, error, 0);
      if (!err.empty())
        throw InputError(err);
      mesh.boundary_names   = Utilities::MPI::broadcast(comm, serial.boundary_names, 0);
      mesh.material_names   = Utilities::MPI::broadcast(comm, serial.material_names, 0);
      mesh.curved_midpoints = Utilities::MPI::broadcast(comm, serial.curved_midpoints, 0);
      const auto description = TriangulationDescription::Utilities::create_description_from_triangulation_in_groups<3, 3>(
        [&serial](Triangulation<3> &t) { t.copy_triangulation(serial.tria); },
        [](Triangulation<3> &t, const MPI_Comm &c, const unsigned int) {
          GridTools::partition_triangulation(Utilities::MPI::n_mpi_processes(c), t);
        },
        comm, Utilities::MPI::n_mpi_processes(comm));
      auto tria = std::make_unique<parallel::fullydistributed::Triangulation<3>>(comm);
      tria->create_triangulation(description);
      serial.tria.clear();
      return tria;
    }

    /// Run f on rank 0, turning any exception into a message that all ranks receive.
    std::string
    on_root(MPI_Comm comm, const std::function<void()> &f)
    {
      if (Utilities::MPI::this_mpi_process(comm) != 0)
        return "";
      try
        {
          f();
        }
      catch (const InputError &e)
        {
          return e.what();
        }
      catch (const std::exception &e)
        {
          return std::string("mesh generation failed: ") + e.what();
        }
      catch (const std::string &e) // the Gmsh API throws its last error message as a string
        {
          return "mesh generation failed in Gmsh: " + e;
        }
      catch (...)
        {
          return "mesh generation failed (Gmsh raised an unknown error)";
        }
      return "";
    }
  } // namespace

  namespace
  {
    MeshTimings timings;
    double
    now()
    {
      return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    }
  } // namespace

  const MeshTimings &
  last_mesh_timings()
  {
    return timings;
  }

  Mesh
  create_mesh(const MeshParameters &p, MPI_Comm comm)
  {
    timings            = MeshTimings();
    const double t0    = now();
    Mesh               mesh;
    std::ostringstream desc;
    mesh.deck  = p.prm_deck;
    mesh.order = p.prm_order;
    if (p.prm_source == "box")
      {
        std::vector<unsigned int> rep(3);
        for (unsigned int d = 0; d < 3; ++d)
          rep[d] = static_cast<unsigned int>(std::round((p.prm_upper[d] - p.prm_lower[d]) / p.prm_element_size));
        mesh.h = p.prm_element_size;
        // colorize: ids 0..5 = x-, x+, y-, y+, z-, z+
        const char *names[] = {"xmin", "xmax", "ymin", "ymax", "zmin", "zmax"};
        for (unsigned int i = 0; i < 6; ++i)
          mesh.boundary_names[names[i]] = i;
        if (p.prm_element_type == "hex")
          {
            // p4est keeps one tree per coarse cell; use fewer, larger coarse cells and
            // refine globally when the counts allow it.
            unsigned int n_refine = 0;
            while (rep[0] % 2 == 0 && rep[1] % 2 == 0 && rep[2] % 2 == 0 &&
                   static_cast<double>(rep[0]) * rep[1] * rep[2] > 20000)
              {
                for (auto &r : rep)
                  r /= 2;
                ++n_refine;
              }
            auto tria = std::make_unique<parallel::distributed::Triangulation<3>>(comm);
            GridGenerator::subdivided_hyper_rectangle(*tria, rep, p.prm_lower, p.prm_upper, true);
            tria->refine_global(n_refine);
            mesh.tria = std::move(tria);
            desc << "box " << p.prm_lower << " to " << p.prm_upper << " mm, hexahedra h = " << mesh.h << " mm";
          }
        else
          {
            Triangulation<3> hex, tet;
            GridGenerator::subdivided_hyper_rectangle(hex, rep, p.prm_lower, p.prm_upper, true);
            GridGenerator::convert_hypercube_to_simplex_mesh(hex, tet);
            // boundary ids are kept by the conversion
            mesh.tria    = distribute_serial(tet, comm);
            mesh.simplex = true;
            desc << "box " << p.prm_lower << " to " << p.prm_upper << " mm, tetrahedra (24 per hex of " << mesh.h
                 << " mm)";
          }
      }
    else if (p.prm_source == "prepared")
      {
        SerialMesh                 serial;
        std::vector<double>        fibres; // per serial cell: f, s (6 doubles)
        unsigned int               order  = 1;
        bool                       sheets = true;
        const std::string          error = on_root(comm, [&]() { load_prepared(p, serial, fibres, order, sheets); });
        const double               t1    = now();
        timings.generate                 = t1 - t0;
        mesh.tria    = distribute_from_root(serial, error, mesh, comm);
        timings.distribute               = now() - t1;
        mesh.order   = Utilities::MPI::broadcast(comm, order, 0);
        mesh.simplex = true;
        mesh.h       = p.prm_element_size;
        attach_cell_fibres(mesh, fibres, comm);
        const bool sheets_stored = Utilities::MPI::broadcast(comm, sheets, 0); // on every rank
        mesh.sheets_given        = mesh.cell_fibre.empty() || sheets_stored;
        desc << "prepared " << p.prm_file << ", tetrahedra, order " << mesh.order
             << (mesh.cell_fibre.empty() ? "" : mesh.sheets_given ? ", with fibres and sheets" : ", with fibres (no sheets)");
      }
    else if (p.prm_source == "generator" || p.prm_source == "surface")
      {
        SerialMesh        serial;
        const std::string error = on_root(comm, [&]() {
          if (p.prm_source == "generator")
            {
              const Generator &g = find_generator(p.prm_generator, p.prm_deck + ": [Mesh/Generator]");
              // memory estimate before meshing: ~ 6 sqrt 2 tets per h^3, ~1.5 kB per tet
              // (Gmsh + serial and distributed deal.II copies)
              const double h      = p.prm_element_size;
              const double n_tets = g.volume(p) / (h * h * h / (6 * std::sqrt(2.))) * 1.3;
              const double gb     = n_tets * 1.5e3 / (1024. * 1024 * 1024);
              const double limit  = p.prm_max_memory_gb > 0 ? p.prm_max_memory_gb : available_memory_gb();
              input_check(gb < limit, p.prm_deck + ": [Mesh/Element size] = " + std::to_string(h) + " mm",
                          "would give about " + std::to_string(static_cast<long>(n_tets)) + " tetrahedra needing about " +
                            std::to_string(gb) + " GiB, more than the " + std::to_string(limit) +
                            " GiB available; use a larger element size");
              GmshSession session(g.name);
              g.build(p);
              if (g.point_tag)
                classify_surfaces(g, p, h);
              mesh_and_convert(p, h, serial);
            }
          else
            import_surface(p, serial);
        });
        const std::string note = Utilities::MPI::broadcast(comm, serial.note, 0);
        const double      h_used = Utilities::MPI::broadcast(comm, serial.h, 0);
        const double      t1     = now();
        timings.generate         = t1 - t0;
        mesh.tria    = distribute_from_root(serial, error, mesh, comm);
        timings.distribute       = now() - t1;
        mesh.simplex = true;
        mesh.h       = h_used > 0 ? h_used : p.prm_element_size;
        if (!note.empty())
          mesh.order = 1;
        if (p.prm_source == "generator")
          desc << "generator " << p.prm_generator << ", tetrahedra h = " << mesh.h << " mm, order " << p.prm_order;
        else
          desc << "surface " << p.prm_file << " (" << p.prm_unit << "), tetrahedra h = " << mesh.h << " mm, order "
               << mesh.order << (note.empty() ? "" : "; note: " + note);
      }
    else if (vtk::lower_extension(p.prm_file) == "vtu" || vtk::lower_extension(p.prm_file) == "vtk")
      {
        SerialMesh          serial;
        std::vector<double> fibres; // per serial cell: f, s
        bool                simplex = true;
        const std::string   error   = on_root(comm, [&]() {
          import_volume(p, serial, fibres);
          simplex = serial.tria.n_active_cells() > 0 && serial.tria.begin_active()->reference_cell().is_simplex();
        });
        const std::string note   = Utilities::MPI::broadcast(comm, serial.note, 0);
        const double      h_used = Utilities::MPI::broadcast(comm, serial.h, 0);
        const double      t1     = now();
        timings.generate         = t1 - t0;
        mesh.tria                = distribute_from_root(serial, error, mesh, comm);
        timings.distribute       = now() - t1;
        mesh.simplex             = Utilities::MPI::broadcast(comm, simplex, 0);
        mesh.h                   = h_used;
        attach_fibres_by_coarse_id(mesh, fibres, comm);
        mesh.sheets_given = mesh.cell_fibre.empty() || !p.prm_sheet_array.empty();
        desc << "file " << p.prm_file << " (" << p.prm_unit << "), " << mesh.tria->n_global_active_cells()
             << (mesh.simplex ? " tetrahedra" : " hexahedra") << ", min edge " << mesh.h << " mm"
             << (mesh.cell_fibre.empty() ? "" : ", with fibres") << (note.empty() ? "" : "; note: " + note);
      }
    else
      {
        {
          std::ifstream in(p.prm_file);
          if (!in)
            throw InputError(p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\": cannot open the mesh file");
        }
        Triangulation<3> serial;
        GridIn<3>        gi(serial);
        // deal.II's own stream reader (MSH 2.2 and 4.1 ASCII): it reports errors as
        // exceptions, where the Gmsh library aborts on some malformed files.
        std::ifstream in(p.prm_file);
        try
          {
            gi.read_msh(in);
          }
        catch (const ExceptionBase &e)
          {
            std::ostringstream o;
            e.print_info(o);
            throw InputError(p.prm_deck + ": [Mesh/File] = \"" + p.prm_file +
                             "\": not a readable Gmsh volume mesh (MSH 2.2 or 4.1 ASCII expected): " + o.str());
          }
        catch (const std::exception &e)
          {
            throw InputError(p.prm_deck + ": [Mesh/File] = \"" + p.prm_file +
                             "\": not a readable Gmsh volume mesh (MSH 2.2 or 4.1 ASCII expected): " + e.what());
          }
        input_check(serial.n_active_cells() > 0, p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\"", "the mesh has no cells");
        if (p.prm_unit_to_mm != 1.0)
          GridTools::scale(p.prm_unit_to_mm, serial);
        unsigned int n_bad = 0;
        double       vmin  = 1e300;
        for (const auto &cell : serial.active_cell_iterators())
          {
            const double v = cell->measure();
            vmin           = std::min(vmin, v);
            n_bad += (v <= 0);
          }
        input_check(n_bad == 0, p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\"",
                    std::to_string(n_bad) + " element(s) are inverted or degenerate (smallest signed volume " +
                      std::to_string(vmin) + " mm^3); expected positively oriented elements");
        mesh.simplex = !serial.all_reference_cells_are_hyper_cube();
        double hmin  = 1e300;
        for (const auto &cell : serial.active_cell_iterators())
          hmin = std::min(hmin, cell->minimum_vertex_distance());
        mesh.h = hmin;
        desc << "file " << p.prm_file << " (" << serial.n_active_cells() << (mesh.simplex ? " tetrahedra" : " hexahedra")
             << ", min edge " << hmin << " mm)";
        if (!serial.all_reference_cells_are_simplex() && mesh.simplex)
          throw InputError(p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\": mixed element types are not supported");
        for (const auto &cell : serial.active_cell_iterators())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              mesh.boundary_names["id" + std::to_string(cell->face(f)->boundary_id())] = cell->face(f)->boundary_id();
        const double t1 = now();
        timings.generate = t1 - t0;
        mesh.tria        = distribute_serial(serial, comm);
        timings.distribute = now() - t1;
      }
    mesh.description = desc.str();
    return mesh;
  }

} // namespace organtwin::meshes
