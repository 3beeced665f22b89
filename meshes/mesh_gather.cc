#include <deal.II/base/mpi.h>
#include <deal.II/grid/tria.h>

#include <meshes/mesh.h>
#include <meshes/mesh_gather.h>

#include <map>

namespace organtwin::meshes
{
  using namespace dealii;

  GatheredMesh
  gather_mesh(const Mesh &mesh, const std::vector<Tensor<1, 3>> *fibre, const std::vector<Tensor<1, 3>> *sheet)
  {
    // deal.II hexes/quads are lexicographic; VTK goes around each face
    static const unsigned int hex_order[8]  = {0, 1, 3, 2, 4, 5, 7, 6};
    static const unsigned int quad_order[4] = {0, 1, 3, 2};
    const MPI_Comm            comm          = mesh.tria->get_communicator();
    // per local cell: nv, 3 nv coordinates, material, fibre(3), sheet(3);
    // per boundary face: nv, 3 nv coordinates, boundary id
    std::vector<double> cells, faces;
    for (const auto &cell : mesh.tria->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int nv = cell->n_vertices();
          cells.push_back(nv);
          for (unsigned int k = 0; k < nv; ++k)
            for (unsigned int d = 0; d < 3; ++d)
              cells.push_back(cell->vertex(nv == 8 ? hex_order[k] : k)[d]);
          cells.push_back(cell->material_id());
          for (const auto *field : {fibre, sheet})
            for (unsigned int d = 0; d < 3; ++d)
              cells.push_back(field ? (*field)[cell->active_cell_index()][d] : 0.);
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              {
                const unsigned int nf = cell->face(f)->n_vertices();
                faces.push_back(nf);
                for (unsigned int k = 0; k < nf; ++k)
                  for (unsigned int d = 0; d < 3; ++d)
                    faces.push_back(cell->face(f)->vertex(nf == 4 ? quad_order[k] : k)[d]);
                faces.push_back(cell->face(f)->boundary_id());
              }
        }
    const auto   all_cells = Utilities::MPI::gather(comm, cells, 0);
    const auto   all_faces = Utilities::MPI::gather(comm, faces, 0);
    GatheredMesh g;
    if (Utilities::MPI::this_mpi_process(comm) != 0)
      return g;

    std::map<std::array<double, 3>, std::uint64_t> index;
    auto vertex = [&](const double *x) {
      const std::array<double, 3> k{{x[0], x[1], x[2]}};
      const auto [it, fresh] = index.emplace(k, g.points.size());
      if (fresh)
        g.points.push_back(k);
      return it->second;
    };
    for (const auto &part : all_cells)
      for (std::size_t i = 0; i < part.size();)
        {
          const auto nv = static_cast<unsigned int>(part[i]);
          for (unsigned int k = 0; k < nv; ++k)
            g.cell_vertices.push_back(vertex(&part[i + 1 + 3 * k]));
          g.cell_offsets.push_back(g.cell_vertices.size());
          g.materials.push_back(static_cast<std::uint32_t>(part[i + 1 + 3 * nv]));
          g.fibres.insert(g.fibres.end(), part.begin() + i + 2 + 3 * nv, part.begin() + i + 5 + 3 * nv);
          g.sheets.insert(g.sheets.end(), part.begin() + i + 5 + 3 * nv, part.begin() + i + 8 + 3 * nv);
          i += 8 + 3 * nv;
        }
    for (const auto &part : all_faces)
      for (std::size_t i = 0; i < part.size();)
        {
          const auto nv = static_cast<unsigned int>(part[i]);
          for (unsigned int k = 0; k < nv; ++k)
            g.face_vertices.push_back(vertex(&part[i + 1 + 3 * k]));
          g.face_offsets.push_back(g.face_vertices.size());
          g.face_ids.push_back(static_cast<std::uint32_t>(part[i + 1 + 3 * nv]));
          i += 2 + 3 * nv;
        }
    return g;
  }
} // namespace organtwin::meshes
