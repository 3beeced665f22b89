// `organtwin mesh <deck>` (and Problem type = mesh): generate or import a mesh, tag it,
// compute fibres, report quality, write VTU/PVTU, a PNG preview and a prepared .otmesh
// that later runs load with [Mesh] Source = prepared.
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/numerics/data_out.h>

#include <meshes/fibres.h>
#include <meshes/mesh.h>
#include <meshes/mesh_timing.h>
#include <meshes/surface_check.h>
#include <solvers/common/case.h>
#include <solvers/common/command.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace organtwin::meshing
{
  using namespace dealii;

  namespace
  {
    class MeshCase : public Case
    {
    public:
      static void declare_parameters(ParameterHandler &prm);
      void        run(ParameterHandler &prm, const RunContext &ctx) override;
    };

    void
    MeshCase::declare_parameters(ParameterHandler &prm)
    {
      meshes::MeshParameters::declare_parameters(prm);
      meshes::FibreParameters::declare_parameters(prm);
      prm.enter_subsection("Output");
      prm.declare_entry("Directory", "mesh_out", Patterns::Anything(), "result folder (replaced atomically)");
      prm.declare_entry("Write VTU", "true", Patterns::Bool(), "mesh.pvtu with region, rank and fibre fields");
      prm.declare_entry("Preview", "true", Patterns::Bool(), "preview.png of the tagged surface (matplotlib)");
      prm.declare_entry("Save prepared mesh", "true", Patterns::Bool(),
                        "mesh.otmesh: tags, P2 nodes and fibres; load it with [Mesh] Source = prepared");
      prm.declare_entry("Save mesh VTU", "true", Patterns::Bool(),
                        "mesh.vtu: one VTK file with shared points, the boundary faces as triangles, cell arrays "
                        "material, boundary, fibre and sheet (LDRB or the mesh's own fibres; no sheet when the mesh file "
                        "had fibres only) and the tag names; read it back (or in other tools) with [Mesh] Source = file, File = .../mesh.vtu, Material array = "
                        "material, Boundary array = boundary, Fibre array = fibre, Sheet array = sheet");
      prm.declare_entry("VTU encoding", "zlib", Patterns::Selection("ascii|binary|zlib|raw|appended"),
                        "mesh.vtu data: ascii, binary (inline base64), zlib (inline base64 of zlib blocks, as "
                        "deal.II writes), raw (appended raw bytes) or appended (appended base64 of zlib blocks, "
                        "the default of VTK's XML writer)");
      prm.leave_subsection();
    }

    std::string
    num(double v)
    {
      std::ostringstream s;
      s << std::setprecision(8) << v;
      return s.str();
    }

    void
    MeshCase::run(ParameterHandler &prm, const RunContext &ctx)
    {
      const MPI_Comm comm = ctx.comm;
      const bool     root = Utilities::MPI::this_mpi_process(comm) == 0;
      meshes::MeshParameters  mp;
      meshes::FibreParameters fp;
      mp.parse_parameters(prm, ctx.deck_file);
      fp.parse_parameters(prm, ctx.deck_file);
      prm.enter_subsection("Output");
      const std::string dir        = prm.get("Directory");
      const bool        write_vtu  = prm.get_bool("Write VTU");
      const bool        preview    = prm.get_bool("Preview");
      const bool        save       = prm.get_bool("Save prepared mesh");
      const bool        save_vtu   = prm.get_bool("Save mesh VTU");
      const std::string vtu_enc    = prm.get("VTU encoding");
      prm.leave_subsection();

      Timer              timer;
      meshes::Mesh       mesh = meshes::create_mesh(mp, comm);
      const double       t_mesh = timer.wall_time();
      const auto         stages = meshes::last_mesh_timings();
      if (root && ctx.verbosity > 0)
        std::cout << "mesh: " << mesh.description << " (" << num(t_mesh) << " s: generation " << num(stages.generate)
                  << " s, partition and distribution " << num(stages.distribute) << " s)" << std::endl;
      // surfaces: the self-intersection check (rank 0, part of the generation time)
      const double t_check = mp.prm_source == "surface" ? meshes::last_self_intersection_check().seconds : 0;
      const unsigned long n_check = mp.prm_source == "surface" ? meshes::last_self_intersection_check().n_candidates : 0;
      if (root && ctx.verbosity > 0 && mp.prm_source == "surface")
        std::cout << "surface self-intersection check: " << n_check << " triangle pairs with overlapping boxes "
                  << "tested in " << num(t_check) << " s" << std::endl;
      meshes::FibreField fibres;
      if (fp.prm_method == "ldrb")
        {
          fibres = meshes::compute_fibres(mesh, fp);
          if (root && ctx.verbosity > 0)
            std::cout << "fibres: LDRB in " << num(fibres.seconds) << " s" << std::endl;
        }
      ResultDirectory out(dir, comm);

      // ---- report ------------------------------------------------------------------------
      const auto q = mesh.quality();
      std::map<unsigned int, double> region_volume;
      for (const auto &cell : mesh.tria->active_cell_iterators())
        if (cell->is_locally_owned())
          region_volume[cell->material_id()] += cell->measure();
      std::ostringstream txt;
      Json               js, areas, volumes, dofs;
      txt << "mesh: " << mesh.description << "\n"
          << "cells: " << q.n_cells << (mesh.simplex ? " tetrahedra" : " hexahedra") << "\n";
      // DoF counts of P1 (vertices) and P2 on this mesh: identical on any number of ranks
      for (unsigned int k = 1; k <= 2; ++k)
        {
          DoFHandler<3> dh(*mesh.tria);
          if (mesh.simplex)
            dh.distribute_dofs(FE_SimplexP<3>(k));
          else
            dh.distribute_dofs(FE_Q<3>(k));
          txt << "DoFs P" << k << ": " << dh.n_dofs() << "\n";
          dofs.set("P" + std::to_string(k), static_cast<unsigned long>(dh.n_dofs()));
        }
      txt << "volume: " << num(mesh.volume()) << " mm^3\n";
      if (mesh.simplex)
        txt << "scaled Jacobian: min " << num(q.min_scaled_jacobian) << ", mean " << num(q.mean_scaled_jacobian)
            << "\nradius ratio: min " << num(q.min_radius_ratio) << ", mean " << num(q.mean_radius_ratio)
            << "\naspect ratio: max " << num(q.max_aspect_ratio) << "\n";
      txt << "regions [mm^3]:\n";
      std::map<unsigned int, std::string> region_name;
      for (const auto &[n, id] : mesh.material_names)
        region_name[id] = n;
      std::set<unsigned int> region_ids;
      for (const auto &[id, v] : region_volume)
        region_ids.insert(id);
      for (const auto &[n, id] : mesh.material_names)
        region_ids.insert(id);
      for (const unsigned int id : region_ids)
        {
          const double v    = Utilities::MPI::sum(region_volume.count(id) ? region_volume[id] : 0., comm);
          const auto   name = region_name.count(id) ? region_name[id] : "region" + std::to_string(id);
          txt << "  " << name << " (id " << id << "): " << num(v) << "\n";
          volumes.set(name, v);
        }
      // per tag: area-weighted mean outward unit normal and centroid of the (straight) faces
      std::map<unsigned int, std::array<double, 7>> tag_sums; // n (3), x * area (3), area
      for (const auto &cell : mesh.tria->active_cell_iterators())
        if (cell->is_locally_owned())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              {
                const auto     face = cell->face(f);
                Tensor<1, 3>   n;
                if (face->n_vertices() == 3)
                  n = 0.5 * cross_product_3d(face->vertex(1) - face->vertex(0), face->vertex(2) - face->vertex(0));
                else
                  n = 0.5 * cross_product_3d(face->vertex(3) - face->vertex(0), face->vertex(2) - face->vertex(1));
                const Point<3> c = face->center();
                if (n * (c - cell->center()) < 0)
                  n = -n;
                auto &t = tag_sums[face->boundary_id()];
                for (unsigned int d = 0; d < 3; ++d)
                  {
                    t[d] += n[d];
                    t[3 + d] += c[d] * n.norm();
                  }
                t[6] += n.norm();
              }
      Json normals, centroids;
      txt << "boundary tags [mm^2] (mean outward normal; centroid [mm]):\n";
      for (const auto &[n, id] : mesh.boundary_names)
        {
          const double        a = mesh.boundary_area(id);
          std::array<double, 7> t{};
          if (tag_sums.count(id))
            t = tag_sums[id];
          for (auto &v : t)
            v = Utilities::MPI::sum(v, comm);
          const double        ln = std::sqrt(t[0] * t[0] + t[1] * t[1] + t[2] * t[2]);
          std::vector<double> nn(3), cc(3);
          for (unsigned int d = 0; d < 3; ++d)
            {
              nn[d] = ln > 0 ? t[d] / ln : 0;
              cc[d] = t[6] > 0 ? t[3 + d] / t[6] : 0;
            }
          txt << "  " << n << " (id " << id << "): " << num(a) << " (" << num(nn[0]) << ", " << num(nn[1]) << ", "
              << num(nn[2]) << "; " << num(cc[0]) << ", " << num(cc[1]) << ", " << num(cc[2]) << ")\n";
          areas.set(n, a);
          normals.set(n, nn);
          centroids.set(n, cc);
        }
      js.set("mesh", mesh.description)
        .set("cells", q.n_cells)
        .set("order", static_cast<int>(mesh.order))
        .set("volume_mm3", mesh.volume())
        .set("min_scaled_jacobian", q.min_scaled_jacobian)
        .set("mean_scaled_jacobian", q.mean_scaled_jacobian)
        .set("min_radius_ratio", q.min_radius_ratio)
        .set("mean_radius_ratio", q.mean_radius_ratio)
        .set("max_aspect_ratio", q.max_aspect_ratio)
        .set("dofs", dofs)
        .set("region_volume_mm3", volumes)
        .set("tag_area_mm2", areas)
        .set("tag_normal", normals)
        .set("tag_centroid_mm", centroids)
        .set("mesh_seconds", t_mesh)
        .set("generation_seconds", stages.generate)
        .set("distribution_seconds", stages.distribute)
        .set("surface_check_seconds", t_check)
        .set("ranks", static_cast<int>(Utilities::MPI::n_mpi_processes(comm)));
      if (!fibres.empty())
        {
          // helix angle by transmural depth about the long axis (apex -> base centroid)
          // where the depth bins are 0-0.1, 0.45-0.55, 0.9-1 (LV-like shapes)
          Point<3>     cb;
          double       ab = 0;
          const auto   base = mesh.boundary_id(fp.prm_base);
          for (const auto &cell : mesh.tria->active_cell_iterators())
            if (cell->is_locally_owned())
              for (const unsigned int f : cell->face_indices())
                if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == base)
                  {
                    cb += cell->face(f)->center() * cell->face(f)->measure();
                    ab += cell->face(f)->measure();
                  }
          for (unsigned int d = 0; d < 3; ++d)
            cb[d] = Utilities::MPI::sum(cb[d], comm);
          ab = Utilities::MPI::sum(ab, comm);
          cb /= ab;
          // long axis: from the apex region (apico-basal < 0.05) centroid to the base centroid
          Point<3> ca;
          double   na = 0;
          for (const auto &cell : mesh.tria->active_cell_iterators())
            if (cell->is_locally_owned() && fibres.apicobasal[cell->active_cell_index()] < 0.05)
              {
                ca += cell->center();
                na += 1;
              }
          for (unsigned int d = 0; d < 3; ++d)
            ca[d] = Utilities::MPI::sum(ca[d], comm);
          na = Utilities::MPI::sum(na, comm);
          ca /= std::max(na, 1.);
          const Tensor<1, 3> axis = cb - ca;
          // endo/epi: at the centres of the tagged faces (depth exactly 0 / 1 there);
          // mid-wall: cell centres with depth 0.45-0.55; all away from apex and base
          double       sum[3] = {0, 0, 0}, cnt[3] = {0, 0, 0};
          const auto   lv_id = mesh.boundary_id(fp.prm_lv_endo), epi_id = mesh.boundary_id(fp.prm_epi);
          for (const auto &cell : mesh.tria->active_cell_iterators())
            if (cell->is_locally_owned())
              {
                const unsigned int i = cell->active_cell_index();
                const double height = ((cb - cell->center()) * axis) / axis.norm_square();
                if (height < 0.1 || height > 0.8) // the apex (axis: angle undefined) and the base
                  continue;
                Tensor<1, 3> f, s, n;
                for (const unsigned int k : cell->face_indices())
                  if (cell->face(k)->at_boundary() &&
                      (cell->face(k)->boundary_id() == lv_id || cell->face(k)->boundary_id() == epi_id))
                    {
                      const Point<3> x = cell->face(k)->center();
                      fibres.frame_at(cell, x, f, s, n);
                      const int bin = cell->face(k)->boundary_id() == lv_id ? 0 : 2;
                      // wall normal: the transmural gradient of the cell
                      sum[bin] += meshes::helix_angle(f, x, cb, axis, fibres.grads[i][1]);
                      cnt[bin] += 1;
                    }
                if (fibres.depth[i] > 0.45 && fibres.depth[i] < 0.55)
                  {
                    sum[1] += meshes::helix_angle(fibres.f[i], cell->center(), cb, axis, fibres.grads[i][1]);
                    cnt[1] += 1;
                  }
              }
          std::vector<double> helix(3);
          for (unsigned int b = 0; b < 3; ++b)
            helix[b] = Utilities::MPI::sum(sum[b], comm) / std::max(1., Utilities::MPI::sum(cnt[b], comm));
          txt << "fibres: LDRB, helix angle endo " << num(helix[0]) << ", mid-wall " << num(helix[1]) << ", epi "
              << num(helix[2]) << " deg (mean over endo faces, cells at depth 0.45-0.55, epi faces; 10-80 % of the base-apex height), " << num(fibres.seconds)
              << " s\n";
          js.set("helix_endo_mid_epi_deg", helix).set("fibre_seconds", fibres.seconds);
        }

      // cell fibres (computed here, else those that came with the mesh)
      const std::vector<Tensor<1, 3>> *cell_f = !fibres.empty() ? &fibres.f : !mesh.cell_fibre.empty() ? &mesh.cell_fibre : nullptr;
      const std::vector<Tensor<1, 3>> *cell_s = !fibres.empty() ? &fibres.s : !mesh.cell_fibre.empty() ? &mesh.cell_sheet : nullptr;
      // sheets that are arbitrary normals to the fibres (a file with fibres only) are not
      // written as a "sheet" array, and the .otmesh records that they are not the tissue's
      const bool sheets_given = !fibres.empty() || mesh.sheets_given;
      if (cell_f && mesh.simplex && mesh.has_boundary(fp.prm_lv_endo) && mesh.has_boundary(fp.prm_epi) &&
          mesh.has_boundary(fp.prm_base))
        {
          // helix angle of the cell fibre of the cells on the endo and epi tags, in the wall frame
          // of the face (normal: the face normal), long axis: the mean outward normal of the base,
          // through the base centroid; 10-80 % of the base-apex height. Needs only the mesh and
          // its cell fibres, so an exported and re-imported mesh gives the same numbers.
          const auto   base = mesh.boundary_id(fp.prm_base), endo = mesh.boundary_id(fp.prm_lv_endo),
                     epi = mesh.boundary_id(fp.prm_epi);
          Tensor<1, 3> nb;
          Point<3>     cb;
          double       ab = 0, depth = 0;
          auto         normal = [](const auto &cell, unsigned int f) {
            const auto  &F = cell->face(f);
            Tensor<1, 3> n = cross_product_3d(F->vertex(1) - F->vertex(0), F->vertex(2) - F->vertex(0));
            if (n * (F->center() - cell->center()) < 0)
              n = -n;
            return n / n.norm();
          };
          for (const auto &cell : mesh.tria->active_cell_iterators())
            if (cell->is_locally_owned())
              for (const unsigned int f : cell->face_indices())
                if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == base)
                  {
                    const double a = cell->face(f)->measure();
                    cb += cell->face(f)->center() * a;
                    nb += normal(cell, f) * a;
                    ab += a;
                  }
          for (unsigned int d = 0; d < 3; ++d)
            {
              cb[d] = Utilities::MPI::sum(cb[d], comm);
              nb[d] = Utilities::MPI::sum(nb[d], comm);
            }
          cb /= Utilities::MPI::sum(ab, comm);
          nb /= nb.norm();
          for (const auto &cell : mesh.tria->active_cell_iterators())
            if (cell->is_locally_owned())
              for (unsigned int v = 0; v < cell->n_vertices(); ++v)
                depth = std::max(depth, (cb - cell->vertex(v)) * nb);
          depth = Utilities::MPI::max(depth, comm);
          double sum[2] = {0, 0}, cnt[2] = {0, 0}, lo[2] = {1e300, 1e300}, hi[2] = {-1e300, -1e300};
          for (const auto &cell : mesh.tria->active_cell_iterators())
            if (cell->is_locally_owned())
              for (const unsigned int f : cell->face_indices())
                if (cell->face(f)->at_boundary() &&
                    (cell->face(f)->boundary_id() == endo || cell->face(f)->boundary_id() == epi))
                  {
                    const Point<3> x      = cell->face(f)->center();
                    const double   height = ((cb - x) * nb) / depth;
                    if (height < 0.1 || height > 0.8)
                      continue;
                    const double a = meshes::helix_angle((*cell_f)[cell->active_cell_index()], x, cb, nb, normal(cell, f));
                    const int    b = cell->face(f)->boundary_id() == endo ? 0 : 1;
                    sum[b] += a;
                    cnt[b] += 1;
                    lo[b] = std::min(lo[b], a);
                    hi[b] = std::max(hi[b], a);
                  }
          std::vector<double> mean(2), mn(2), mx(2);
          for (unsigned int b = 0; b < 2; ++b)
            {
              mean[b] = Utilities::MPI::sum(sum[b], comm) / std::max(1., Utilities::MPI::sum(cnt[b], comm));
              mn[b]   = Utilities::MPI::min(lo[b], comm);
              mx[b]   = Utilities::MPI::max(hi[b], comm);
            }
          txt << "cell fibres: helix angle of the cells on endo " << num(mean[0]) << " (" << num(mn[0]) << " to "
              << num(mx[0]) << "), on epi " << num(mean[1]) << " (" << num(mn[1]) << " to " << num(mx[1])
              << ") deg (face-normal wall frame, axis: base normal, 10-80 % of the height)\n";
          js.set("cell_helix_endo_epi_deg", mean).set("cell_helix_min_endo_epi_deg", mn).set("cell_helix_max_endo_epi_deg", mx);
        }

      // ---- files -------------------------------------------------------------------------
      if (write_vtu)
        {
          DataOut<3> data_out;
          data_out.attach_triangulation(*mesh.tria);
          const std::size_t n = mesh.tria->n_active_cells();
          Vector<float>     region(n), rank(n);
          std::vector<Vector<float>> fv(9, Vector<float>(fibres.empty() ? 0 : n));
          Vector<float>              depth(fibres.empty() ? 0 : n), ab(fibres.empty() ? 0 : n);
          for (const auto &cell : mesh.tria->active_cell_iterators())
            if (cell->is_locally_owned())
              {
                const auto i = cell->active_cell_index();
                region[i]    = cell->material_id();
                rank[i]      = mesh.tria->locally_owned_subdomain();
                if (!fibres.empty())
                  {
                    for (unsigned int d = 0; d < 3; ++d)
                      {
                        fv[d][i]     = fibres.f[i][d];
                        fv[3 + d][i] = fibres.s[i][d];
                        fv[6 + d][i] = fibres.n[i][d];
                      }
                    depth[i] = fibres.depth[i];
                    ab[i]    = fibres.apicobasal[i];
                  }
              }
          data_out.add_data_vector(region, "region");
          data_out.add_data_vector(rank, "rank");
          if (!fibres.empty())
            {
              const char *names[] = {"fibre", "sheet", "normal"};
              for (unsigned int k = 0; k < 3; ++k)
                for (unsigned int d = 0; d < 3; ++d)
                  data_out.add_data_vector(fv[3 * k + d], std::string(names[k]) + "_" + "xyz"[d]);
              data_out.add_data_vector(depth, "transmural_depth");
              data_out.add_data_vector(ab, "apicobasal");
            }
          data_out.build_patches();
          data_out.write_vtu_with_pvtu_record(out.tmp(), "mesh", 0, comm, 4, 1);
        }
      if (save_vtu)
        {
          meshes::save_vtu(mesh, out.tmp() + "mesh.vtu", cell_f, sheets_given ? cell_s : nullptr, vtu_enc);
        }
      if (save && mesh.simplex)
        meshes::save_prepared(mesh, out.tmp() + "mesh.otmesh", cell_f, cell_s, sheets_given);
      // boundary triangles for the preview (rank 0 writes)
      {
        std::vector<double> tri;
        for (const auto &cell : mesh.tria->active_cell_iterators())
          if (cell->is_locally_owned())
            for (const unsigned int f : cell->face_indices())
              if (cell->face(f)->at_boundary())
                {
                  for (unsigned int v = 0; v < cell->face(f)->n_vertices(); ++v)
                    for (unsigned int d = 0; d < 3; ++d)
                      tri.push_back(cell->face(f)->vertex(v)[d]);
                  if (cell->face(f)->n_vertices() == 3) // quads: two triangles' worth is not needed
                    tri.push_back(cell->face(f)->boundary_id());
                  else
                    {
                      tri.resize(tri.size() - 3);
                      tri.push_back(cell->face(f)->boundary_id());
                    }
                }
        const auto all = Utilities::MPI::gather(comm, tri, 0);
        if (root)
          {
            std::ostringstream csv;
            csv << "x0,y0,z0,x1,y1,z1,x2,y2,z2,tag\n";
            for (const auto &part : all)
              for (std::size_t i = 0; i + 10 <= part.size(); i += 10)
                {
                  for (unsigned int k = 0; k < 10; ++k)
                    csv << part[i + k] << (k < 9 ? "," : "\n");
                }
            write_file_atomic(out.tmp() + "boundary.csv", csv.str());
            std::ostringstream names;
            for (const auto &[n, id] : mesh.boundary_names)
              names << id << "," << n << "\n";
            write_file_atomic(out.tmp() + "tags.csv", "id,name\n" + names.str());
            write_file_atomic(out.tmp() + "report.txt", txt.str());
            write_file_atomic(out.tmp() + "report.json", js.str() + "\n");
            std::ostringstream used;
            prm.print_parameters(used, ParameterHandler::PRM);
            write_file_atomic(out.tmp() + "used_parameters.prm", used.str());
            if (preview)
              {
                const std::string cmd = "/usr/bin/python3 " + shell_quote(source_file("solvers/mesh/plot_mesh.py")) +
                                        " " + shell_quote(out.tmp()) + " > /dev/null 2>&1";
                if (std::system(cmd.c_str()) != 0)
                  std::cerr << "warning: the preview plot failed (" << cmd << ")\n";
              }
            if (ctx.verbosity > 0)
              std::cout << txt.str();
          }
      }
      out.commit();
      if (root && ctx.verbosity > 0)
        std::cout << "results in " << out.final_path() << std::endl;
    }

    /// organtwin mesh <deck> [-s Sub/Entry=value ...]: the deck needs no Problem type.
    int
    mesh_command(const std::vector<std::string> &args, MPI_Comm comm)
    {
      std::string              deck;
      std::vector<std::string> overrides;
      for (std::size_t i = 0; i < args.size(); ++i)
        if ((args[i] == "-s" || args[i] == "--set") && i + 1 < args.size())
          overrides.push_back(args[++i]);
        else if (!args[i].empty() && args[i][0] == '-')
          throw InputError("command line: unknown option \"" + args[i] + "\" (usage: organtwin mesh <deck> [-s Sub/Entry=value])");
        else if (deck.empty())
          deck = args[i];
        else
          throw InputError("command line: more than one deck given");
      if (deck.empty())
        throw InputError("command line: usage: organtwin mesh <deck.prm> [-s Sub/Entry=value]");
      {
        std::ifstream in(deck);
        if (!in)
          throw InputError(deck + ": cannot open the deck file (does it exist and is it readable?)");
      }
      ParameterHandler prm;
      prm.declare_entry("Problem type", "mesh", Patterns::Selection("mesh"), "mesh preparation");
      MeshCase::declare_parameters(prm);
      Deck d(prm);
      d.parse_file(deck);
      d.apply_overrides(overrides);
      MeshCase c;
      c.run(prm, RunContext{deck, comm, 1});
      return 0;
    }
  } // namespace
} // namespace organtwin::meshing

OT_REGISTER(organtwin::Case, "mesh", organtwin::meshing::MeshCase,
            "generate or import a tagged tetrahedral mesh, LDRB fibres, quality report, VTU, preview, .otmesh")
OT_REGISTER_COMMAND("mesh", "organtwin mesh <deck.prm> [-s Sub/Entry=value]",
                    "prepare a mesh: generate/import, tag, fibres, quality report, VTU/PVTU, PNG preview, .otmesh",
                    organtwin::meshing::mesh_command)
