// Prepared meshes (.otmesh): OrganTwin's own binary format for a tagged tetrahedral mesh
// with optional fibres, written once by `organtwin mesh` and read on any number of ranks
// (rank 0 reads and partitions; no Gmsh call, no fibre solve).
//
// Layout (little endian): "OTMESH01", u32 order, names (boundary, material), u64 n_vertices
// + 3 doubles each, u64 n_cells + 4 u64 vertex indices + u32 material each, u64 n_faces +
// 3 u64 + u32 boundary id each, u64 n_curved + 6 doubles each, u32 frames + 6 doubles
// (fibre, sheet) per cell if frames != 0. frames: 0 none, 1 fibre and sheet given, 2 fibre
// given and the sheet an arbitrary normal to it (Mesh::sheets_given = false; files written
// before this value existed store 1 in that case too).
#include <deal.II/base/mpi.h>
#include <deal.II/grid/tria.h>

#include <meshes/gmsh_bridge.h>
#include <meshes/mesh.h>
#include <meshes/mesh_gather.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>

namespace organtwin::meshes
{
  using namespace dealii;

  namespace
  {
    template <class T>
    void
    put(std::ostream &o, const T &v)
    {
      o.write(reinterpret_cast<const char *>(&v), sizeof(T));
    }
    template <class T>
    T
    take(std::istream &in)
    {
      T v;
      in.read(reinterpret_cast<char *>(&v), sizeof(T));
      if (!in)
        throw std::runtime_error("the file is truncated");
      return v;
    }
    void
    put_names(std::ostream &o, const std::map<std::string, unsigned int> &names)
    {
      put<std::uint32_t>(o, names.size());
      for (const auto &[n, id] : names)
        {
          put<std::uint32_t>(o, n.size());
          o.write(n.data(), n.size());
          put<std::uint32_t>(o, id);
        }
    }
    std::map<std::string, unsigned int>
    take_names(std::istream &in)
    {
      std::map<std::string, unsigned int> names;
      const auto                          n = take<std::uint32_t>(in);
      if (n > 100000)
        throw std::runtime_error("corrupt name table");
      for (std::uint32_t i = 0; i < n; ++i)
        {
          std::string s(take<std::uint32_t>(in), '\0');
          in.read(&s[0], s.size());
          names[s] = take<std::uint32_t>(in);
        }
      return names;
    }

    /// Sorted corner coordinates: a key for a cell independent of partitioning.
    std::array<double, 12>
    cell_key(const std::array<Point<3>, 4> &x)
    {
      std::array<std::array<double, 3>, 4> v;
      for (unsigned int i = 0; i < 4; ++i)
        v[i] = {x[i][0], x[i][1], x[i][2]};
      std::sort(v.begin(), v.end());
      std::array<double, 12> k;
      for (unsigned int i = 0; i < 4; ++i)
        for (unsigned int d = 0; d < 3; ++d)
          k[3 * i + d] = v[i][d];
      return k;
    }
  } // namespace

  void
  save_prepared(const Mesh &mesh, const std::string &filename, const std::vector<Tensor<1, 3>> *fibre,
                const std::vector<Tensor<1, 3>> *sheet, const bool sheets_given)
  {
    AssertThrow(mesh.simplex, ExcMessage("save_prepared: only tetrahedral meshes"));
    const GatheredMesh g = gather_mesh(mesh, fibre, sheet);
    if (Utilities::MPI::this_mpi_process(mesh.tria->get_communicator()) != 0)
      return;
    const auto         &vertices      = g.points;
    const auto         &materials     = g.materials;
    const auto         &cell_vertices = g.cell_vertices;
    const auto         &face_vertices = g.face_vertices;
    const auto         &face_ids      = g.face_ids;
    std::vector<double> frames; // per cell: fibre(3), sheet(3)
    for (std::size_t c = 0; c < materials.size(); ++c)
      for (const auto *field : {&g.fibres, &g.sheets})
        frames.insert(frames.end(), field->begin() + 3 * c, field->begin() + 3 * c + 3);
    std::ostringstream o;
    o.write("OTMESH01", 8);
    put<std::uint32_t>(o, mesh.order);
    put_names(o, mesh.boundary_names);
    put_names(o, mesh.material_names);
    put<std::uint64_t>(o, vertices.size());
    for (const auto &v : vertices)
      for (const double x : v)
        put(o, x);
    put<std::uint64_t>(o, materials.size());
    for (std::size_t c = 0; c < materials.size(); ++c)
      {
        for (unsigned int v = 0; v < 4; ++v)
          put(o, cell_vertices[4 * c + v]);
        put(o, materials[c]);
      }
    put<std::uint64_t>(o, face_ids.size());
    for (std::size_t f = 0; f < face_ids.size(); ++f)
      {
        for (unsigned int v = 0; v < 3; ++v)
          put(o, face_vertices[3 * f + v]);
        put(o, face_ids[f]);
      }
    put<std::uint64_t>(o, mesh.curved_midpoints.size());
    for (const auto &[k, x] : mesh.curved_midpoints)
      {
        for (const double c : k)
          put(o, c);
        for (unsigned int d = 0; d < 3; ++d)
          put(o, x[d]);
      }
    put<std::uint32_t>(o, fibre == nullptr ? 0 : sheets_given ? 1 : 2);
    if (fibre)
      for (const double x : frames)
        put(o, x);
    write_file_atomic(filename, o.str());
  }

  void
  load_prepared(const MeshParameters &p, SerialMesh &out, std::vector<double> &fibres, unsigned int &order,
                bool &sheets_given)
  {
    const std::string where = p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\"";
    std::ifstream     in(p.prm_file, std::ios::binary);
    char              magic[8];
    in.read(magic, 8);
    input_check(in && std::string(magic, 8) == "OTMESH01", where,
                "is not a prepared OrganTwin mesh (.otmesh written by `organtwin mesh`)");
    try
      {
        order              = take<std::uint32_t>(in);
        out.boundary_names = take_names(in);
        out.material_names = take_names(in);
        const auto            nv = take<std::uint64_t>(in);
        std::vector<Point<3>> vertices(nv);
        for (auto &v : vertices)
          for (unsigned int d = 0; d < 3; ++d)
            v[d] = take<double>(in) * p.prm_unit_to_mm;
        const auto               nc = take<std::uint64_t>(in);
        std::vector<CellData<3>> cells(nc, CellData<3>(4));
        for (auto &c : cells)
          {
            for (unsigned int v = 0; v < 4; ++v)
              {
                c.vertices[v] = take<std::uint64_t>(in);
                if (c.vertices[v] >= nv)
                  throw std::runtime_error("a cell refers to a missing vertex");
              }
            c.material_id = take<std::uint32_t>(in);
          }
        const auto nf = take<std::uint64_t>(in);
        std::map<std::array<std::uint64_t, 3>, unsigned int> face_id;
        for (std::uint64_t f = 0; f < nf; ++f)
          {
            std::array<std::uint64_t, 3> k;
            for (auto &x : k)
              x = take<std::uint64_t>(in);
            std::sort(k.begin(), k.end());
            face_id[k] = take<std::uint32_t>(in);
          }
        const auto ncurved = take<std::uint64_t>(in);
        for (std::uint64_t i = 0; i < ncurved; ++i)
          {
            std::array<double, 3> k;
            Point<3>              x;
            for (auto &c : k)
              c = take<double>(in) * p.prm_unit_to_mm;
            for (unsigned int d = 0; d < 3; ++d)
              x[d] = take<double>(in) * p.prm_unit_to_mm;
            out.curved_midpoints[k] = x;
          }
        const auto frames = take<std::uint32_t>(in);
        if (frames > 2)
          throw std::runtime_error("unknown fibre flag " + std::to_string(frames) + " (0, 1 or 2 expected)");
        const bool has_fibres = frames != 0;
        sheets_given          = frames != 2;
        fibres.clear();
        if (has_fibres)
          for (std::uint64_t c = 0; c < nc; ++c)
            {
              std::array<Point<3>, 4> x;
              for (unsigned int v = 0; v < 4; ++v)
                x[v] = vertices[cells[c].vertices[v]];
              const auto k = cell_key(x);
              fibres.insert(fibres.end(), k.begin(), k.end());
              for (unsigned int i = 0; i < 6; ++i)
                fibres.push_back(take<double>(in));
            }
        out.tria.clear();
        out.tria.create_triangulation(vertices, cells, SubCellData());
        for (const auto &cell : out.tria.active_cell_iterators())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              {
                std::array<std::uint64_t, 3> k{cell->face(f)->vertex_index(0), cell->face(f)->vertex_index(1),
                                               cell->face(f)->vertex_index(2)};
                std::sort(k.begin(), k.end());
                const auto it = face_id.find(k);
                cell->face(f)->set_boundary_id(it == face_id.end() ? 0 : it->second);
              }
      }
    catch (const InputError &)
      {
        throw;
      }
    catch (const std::exception &e)
      {
        throw InputError(where + ": cannot read the prepared mesh: " + e.what());
      }
  }

  void
  attach_cell_fibres(Mesh &mesh, const std::vector<double> &fibres_on_root, MPI_Comm comm)
  {
    const auto all = Utilities::MPI::broadcast(comm, fibres_on_root, 0);
    if (all.empty())
      return;
    std::map<std::array<double, 12>, std::size_t> where;
    for (std::size_t i = 0; i + 17 < all.size(); i += 18)
      {
        std::array<double, 12> k;
        std::copy(all.begin() + i, all.begin() + i + 12, k.begin());
        where[k] = i + 12;
      }
    mesh.cell_fibre.assign(mesh.tria->n_active_cells(), Tensor<1, 3>());
    mesh.cell_sheet.assign(mesh.tria->n_active_cells(), Tensor<1, 3>());
    for (const auto &cell : mesh.tria->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          std::array<Point<3>, 4> x;
          for (unsigned int v = 0; v < 4; ++v)
            x[v] = cell->vertex(v);
          const auto it = where.find(cell_key(x));
          AssertThrow(it != where.end(), ExcMessage("prepared mesh: a cell has no stored fibre"));
          for (unsigned int d = 0; d < 3; ++d)
            {
              mesh.cell_fibre[cell->active_cell_index()][d] = all[it->second + d];
              mesh.cell_sheet[cell->active_cell_index()][d] = all[it->second + 3 + d];
            }
        }
  }
} // namespace organtwin::meshes
