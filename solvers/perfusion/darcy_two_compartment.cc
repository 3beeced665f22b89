// Problem type = perfusion_2c: two-compartment (arterial/venous) Darcy perfusion with an
// inter-compartment transfer (multi-compartment Darcy, Michler et al. 2013, Hyde et al. 2014):
//
//   -div(K_a grad p_a) + beta (p_a - p_v) = 0,   -div(K_v grad p_v) - beta (p_a - p_v) = 0
//
// Arterial blood enters through the arterial inlet patch (flux or pressure), crosses to the
// venous compartment at the rate beta (p_a - p_v) per organ volume (the capillary bed) and
// leaves through the venous outlet patch (p_v = Outlet pressure). Each compartment has no
// flux everywhere else, so both patches can be the same surface (a kidney hilum).
// Units: mm, s, kPa; K [mm^2/(kPa s)], beta [1/(kPa s)]; flows in mm^3/s (reported in L/h).
// P1 (tetrahedra) / Q1 (hexahedra) for both pressures; the system is symmetric positive
// definite (beta > 0, Dirichlet on the venous outlet): CG + BoomerAMG.
// Verification (`[Verification] Analytic 1D = true`): a box with both patches on x = xmin
// against the closed-form 1D solution (docs/theory/perfusion.md, section 6).
#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_solver.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/vector_tools.h>

#include <meshes/mesh.h>
#include <solvers/common/case.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>
#include <solvers/common/units.h>
#include <solvers/common/version.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>

namespace organtwin::perfusion
{
  using namespace dealii;

  namespace
  {
    std::string
    num(double v, int prec = 6)
    {
      std::ostringstream s;
      s << std::setprecision(prec) << v;
      return s.str();
    }

    /// A patch: boundary ids and/or a sphere (centre, radius) whose boundary face centres are taken.
    struct Patch
    {
      std::set<types::boundary_id> ids;
      bool                         sphere = false;
      Point<3>                     centre;
      double                       radius = 0;

      bool contains(const typename Triangulation<3>::face_iterator &f) const
      {
        return ids.count(f->boundary_id()) != 0 || (sphere && f->center().distance(centre) <= radius);
      }
    };

    Patch
    parse_patch(ParameterHandler &prm, const std::string &ids_entry, const std::string &region_entry,
                const std::string &where)
    {
      Patch patch;
      for (const auto &s : Utilities::split_string_list(prm.get(ids_entry), ','))
        {
          const int id = Utilities::string_to_int(s);
          input_check(id >= 0 && id < 65535, where + ids_entry + "] = \"" + prm.get(ids_entry) + "\"",
                      "boundary ids are integers >= 0");
          patch.ids.insert(static_cast<types::boundary_id>(id));
        }
      const auto v = Utilities::string_to_double(Utilities::split_string_list(prm.get(region_entry), ','));
      input_check(v.empty() || (v.size() == 4 && v[3] > 0.), where + region_entry + "] = \"" + prm.get(region_entry) + "\"",
                  "expected x,y,z,r with r > 0 [mm] (or empty)");
      if (v.size() == 4)
        {
          patch.sphere = true;
          patch.centre = Point<3>(v[0], v[1], v[2]);
          patch.radius = v[3];
        }
      input_check(!patch.ids.empty() || patch.sphere, where + ids_entry + "]",
                  "the patch needs boundary ids or a region sphere");
      return patch;
    }

    /// Closed-form 1D solution on [0, L] (x from Box lower corner): arterial inflow g [mm/s] and
    /// p_v = p_out at x = 0, no flux of either compartment at x = L.
    struct Analytic1D
    {
      double ka, kv, beta, g, L, p_out, x0;
      double lambda() const { return std::sqrt(beta * (1. / ka + 1. / kv)); }
      double w(double x) const // p_a - p_v
      {
        const double l = lambda(), A = g * (1. / ka + 1. / kv) / (l * std::sinh(l * L));
        return A * std::cosh(l * (L - (x - x0)));
      }
      double s0() const { return ka * w(x0) + (ka + kv) * p_out; } // K_a p_a + K_v p_v (constant)
      double pa(double x) const { return (s0() + kv * w(x)) / (ka + kv); }
      double pv(double x) const { return (s0() - ka * w(x)) / (ka + kv); }
    };

    class AnalyticFunction : public Function<3>
    {
    public:
      explicit AnalyticFunction(const Analytic1D &a)
        : Function<3>(2)
        , a(a)
      {}
      double value(const Point<3> &x, unsigned int c) const override { return c == 0 ? a.pa(x[0]) : a.pv(x[0]); }

    private:
      Analytic1D a;
    };

    class TwoCompartmentDarcy : public Case
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        meshes::MeshParameters::declare_parameters(prm);
        prm.enter_subsection("Two-compartment Darcy");
        prm.declare_entry("Arterial conductivity", "1000", Patterns::Double(),
                          "[mm^2/(kPa s)] K_a/mu of the arterial compartment (isotropic); > 0");
        prm.declare_entry("Venous conductivity", "1000", Patterns::Double(),
                          "[mm^2/(kPa s)] K_v/mu of the venous compartment (isotropic); > 0");
        prm.declare_entry("Transfer coefficient", "1", Patterns::Double(),
                          "[1/(kPa s)] beta: arterial-to-venous flow per organ volume per kPa of p_a - p_v "
                          "(the capillary bed); > 0");
        prm.declare_entry("Arterial inlet boundary ids", "", Patterns::Anything(), "comma list of boundary ids");
        prm.declare_entry("Arterial inlet region", "", Patterns::Anything(),
                          "[mm] x,y,z,r: boundary faces whose centre lies in this sphere belong to the arterial inlet");
        prm.declare_entry("Venous outlet boundary ids", "", Patterns::Anything(), "comma list of boundary ids");
        prm.declare_entry("Venous outlet region", "", Patterns::Anything(),
                          "[mm] x,y,z,r: as Arterial inlet region, for the venous outlet (may coincide with the "
                          "arterial inlet: the compartments are separate)");
        prm.declare_entry("Inlet condition", "flow", Patterns::Selection("flow|pressure"),
                          "flow: uniform arterial inflow carrying Inlet flow; pressure: p_a = Inlet pressure");
        prm.declare_entry("Inlet flow", "600", Patterns::Double(), "[mL/min] arterial inflow (Inlet condition = flow); > 0");
        prm.declare_entry("Inlet pressure", "1", Patterns::Double(), "[kPa] (Inlet condition = pressure)");
        prm.declare_entry("Outlet pressure", "0", Patterns::Double(), "[kPa] venous outlet pressure");
        prm.leave_subsection();
        prm.enter_subsection("Solver");
        prm.declare_entry("Tolerance", "1e-10", Patterns::Double(0.), "[1] CG relative residual");
        prm.declare_entry("Max iterations", "2000", Patterns::Integer(1), "CG iteration limit");
        prm.leave_subsection();
        prm.enter_subsection("Verification");
        prm.declare_entry("Analytic 1D", "false", Patterns::Bool(),
                          "box mesh, both patches on x = xmin (Inlet condition = flow): L2 errors against the "
                          "closed-form 1D solution");
        prm.leave_subsection();
        prm.enter_subsection("Output");
        prm.declare_entry("Directory", "results/perfusion_2c", Patterns::Anything(), "result folder");
        prm.declare_entry("Fields", "true", Patterns::Bool(),
                          "PVTU fields p_arterial, p_venous, rank, and fields.png (mid-slices, matplotlib)");
        prm.leave_subsection();
      }

      void run(ParameterHandler &prm, const RunContext &ctx) override;
    };

    void
    TwoCompartmentDarcy::run(ParameterHandler &prm, const RunContext &ctx)
    {
      const std::string deck = ctx.deck_file;
      const auto        wv   = [&](const std::string &e, double v) { return deck + ": [" + e + "] = " + num(v); };
      meshes::MeshParameters mp;
      mp.parse_parameters(prm, deck);
      prm.enter_subsection("Two-compartment Darcy");
      const double ka = prm.get_double("Arterial conductivity"), kv = prm.get_double("Venous conductivity"),
                   beta = prm.get_double("Transfer coefficient");
      input_check(ka > 0., wv("Two-compartment Darcy/Arterial conductivity", ka), "must be > 0");
      input_check(kv > 0., wv("Two-compartment Darcy/Venous conductivity", kv), "must be > 0");
      input_check(beta > 0., wv("Two-compartment Darcy/Transfer coefficient", beta),
                  "must be > 0 (without transfer no blood reaches the venous compartment)");
      const std::string where = deck + ": [Two-compartment Darcy/";
      const Patch inlet  = parse_patch(prm, "Arterial inlet boundary ids", "Arterial inlet region", where);
      const Patch outlet = parse_patch(prm, "Venous outlet boundary ids", "Venous outlet region", where);
      const bool  flow   = prm.get("Inlet condition") == "flow";
      const double q_in_mL_min = prm.get_double("Inlet flow"), p_in = prm.get_double("Inlet pressure"),
                   p_out       = prm.get_double("Outlet pressure");
      if (flow)
        input_check(q_in_mL_min > 0., wv("Two-compartment Darcy/Inlet flow", q_in_mL_min), "must be > 0");
      else
        input_check(p_in > p_out, wv("Two-compartment Darcy/Inlet pressure", p_in), "must be above the Outlet pressure");
      prm.leave_subsection();
      prm.enter_subsection("Solver");
      const double       rtol  = prm.get_double("Tolerance");
      const unsigned int maxit = prm.get_integer("Max iterations");
      prm.leave_subsection();
      prm.enter_subsection("Verification");
      const bool analytic = prm.get_bool("Analytic 1D");
      prm.leave_subsection();
      prm.enter_subsection("Output");
      const std::string out_dir = prm.get("Directory");
      const bool        fields  = prm.get_bool("Fields");
      prm.leave_subsection();
      if (analytic)
        {
          input_check(mp.prm_source == "box" && flow, deck + ": [Verification/Analytic 1D]",
                      "needs [Mesh/Source] = box and [Two-compartment Darcy/Inlet condition] = flow");
          input_check(inlet.ids == std::set<types::boundary_id>{0} && outlet.ids == std::set<types::boundary_id>{0} &&
                        !inlet.sphere && !outlet.sphere,
                      deck + ": [Verification/Analytic 1D]", "needs both patches = boundary id 0 (x = xmin) only");
        }

      MPI_Comm           comm = ctx.comm;
      ConditionalOStream pcout(std::cout, Utilities::MPI::this_mpi_process(comm) == 0 && ctx.verbosity > 0);
      Timer              wall;
      wall.start();
      ResultDirectory dir(out_dir, comm);
      meshes::Mesh    mesh = meshes::create_mesh(mp, comm);

      std::unique_ptr<FiniteElement<3>> fe_s;
      std::unique_ptr<Mapping<3>>       mapping;
      std::unique_ptr<Quadrature<3>>    quad;
      std::unique_ptr<Quadrature<2>>    fquad;
      if (mesh.simplex)
        {
          fe_s    = std::make_unique<FE_SimplexP<3>>(1);
          mapping = std::make_unique<MappingFE<3>>(FE_SimplexP<3>(1));
          quad    = std::make_unique<QGaussSimplex<3>>(3);
          fquad   = std::make_unique<QGaussSimplex<2>>(3);
        }
      else
        {
          fe_s    = std::make_unique<FE_Q<3>>(1);
          mapping = std::make_unique<MappingQ1<3>>();
          quad    = std::make_unique<QGauss<3>>(2);
          fquad   = std::make_unique<QGauss<2>>(2);
        }
      const FESystem<3> fe(*fe_s, 2);
      DoFHandler<3>     dof(*mesh.tria);
      dof.distribute_dofs(fe);
      const IndexSet owned = dof.locally_owned_dofs();
      IndexSet       relevant;
      DoFTools::extract_locally_relevant_dofs(dof, relevant);
      const FEValuesExtractors::Scalar pa(0), pv(1);

      // patch faces -> ids 100 (arterial) / 101 (venous) are not set on the mesh: the two patches
      // may coincide, so the faces are tested directly; Dirichlet nodes collected from faces
      AffineConstraints<double> constraints;
      constraints.reinit(relevant);
      std::vector<types::global_dof_index> fdofs(fe.n_dofs_per_face());
      double a_in = 0, a_out = 0;
      {
        FEFaceValues<3> fv(*mapping, fe, *fquad, update_JxW_values);
        for (const auto &cell : dof.active_cell_iterators())
          if (!cell->is_artificial())
            for (const auto f : cell->face_indices())
              if (cell->face(f)->at_boundary())
                {
                  const bool in = inlet.contains(cell->face(f)), out = outlet.contains(cell->face(f));
                  if (cell->is_locally_owned() && (in || out))
                    {
                      fv.reinit(cell, f);
                      double a = 0;
                      for (unsigned int q = 0; q < fquad->size(); ++q)
                        a += fv.JxW(q);
                      if (in)
                        a_in += a;
                      if (out)
                        a_out += a;
                    }
                  cell->face(f)->get_dof_indices(fdofs);
                  for (unsigned int i = 0; i < fdofs.size(); ++i)
                    {
                      const unsigned int c = fe.face_system_to_component_index(i).first;
                      if (out && c == 1 && !constraints.is_constrained(fdofs[i]))
                        {
                          constraints.add_line(fdofs[i]);
                          constraints.set_inhomogeneity(fdofs[i], p_out);
                        }
                      if (in && !flow && c == 0 && !constraints.is_constrained(fdofs[i]))
                        {
                          constraints.add_line(fdofs[i]);
                          constraints.set_inhomogeneity(fdofs[i], p_in);
                        }
                    }
                }
      }
      constraints.close();
      a_in  = Utilities::MPI::sum(a_in, comm);
      a_out = Utilities::MPI::sum(a_out, comm);
      input_check(a_in > 0., deck + ": [Two-compartment Darcy/Arterial inlet boundary ids, Arterial inlet region]",
                  "no boundary face of the mesh (" + mesh.description + ") belongs to the arterial inlet patch");
      input_check(a_out > 0., deck + ": [Two-compartment Darcy/Venous outlet boundary ids, Venous outlet region]",
                  "no boundary face of the mesh (" + mesh.description + ") belongs to the venous outlet patch");

      DynamicSparsityPattern dsp(relevant);
      DoFTools::make_sparsity_pattern(dof, dsp, constraints, false);
      SparsityTools::distribute_sparsity_pattern(dsp, owned, comm, relevant);
      PETScWrappers::MPI::SparseMatrix A, A_free; // A_free: no constraints (consistent fluxes)
      A.reinit(owned, owned, dsp, comm);
      DynamicSparsityPattern dsp_free(relevant);
      DoFTools::make_sparsity_pattern(dof, dsp_free);
      SparsityTools::distribute_sparsity_pattern(dsp_free, owned, comm, relevant);
      A_free.reinit(owned, owned, dsp_free, comm);
      PETScWrappers::MPI::Vector rhs(owned, comm), x(owned, comm);

      const double q_in = flow ? units::mL_per_min_to_mm3_per_s(q_in_mL_min) : 0.;
      const double g    = flow ? q_in / a_in : 0.; // [mm/s]
      double       volume = 0;
      {
        FEValues<3>        fev(*mapping, fe, *quad, update_values | update_gradients | update_JxW_values);
        FEFaceValues<3>    fv(*mapping, fe, *fquad, update_values | update_JxW_values);
        const unsigned int n = fe.n_dofs_per_cell();
        FullMatrix<double> Ac(n, n);
        Vector<double>     bc(n);
        std::vector<types::global_dof_index> idx(n);
        AffineConstraints<double>            none;
        none.close();
        for (const auto &cell : dof.active_cell_iterators())
          if (cell->is_locally_owned())
            {
              fev.reinit(cell);
              Ac = 0;
              bc = 0;
              for (unsigned int q = 0; q < quad->size(); ++q)
                {
                  volume += fev.JxW(q);
                  for (unsigned int i = 0; i < n; ++i)
                    for (unsigned int j = 0; j < n; ++j)
                      Ac(i, j) += (ka * fev[pa].gradient(i, q) * fev[pa].gradient(j, q) +
                                   kv * fev[pv].gradient(i, q) * fev[pv].gradient(j, q) +
                                   beta * (fev[pa].value(i, q) - fev[pv].value(i, q)) *
                                     (fev[pa].value(j, q) - fev[pv].value(j, q))) *
                                  fev.JxW(q);
                }
              if (flow)
                for (const auto f : cell->face_indices())
                  if (cell->face(f)->at_boundary() && inlet.contains(cell->face(f)))
                    {
                      fv.reinit(cell, f);
                      for (unsigned int q = 0; q < fquad->size(); ++q)
                        for (unsigned int i = 0; i < n; ++i)
                          bc(i) += g * fv[pa].value(i, q) * fv.JxW(q);
                    }
              cell->get_dof_indices(idx);
              constraints.distribute_local_to_global(Ac, bc, idx, A, rhs);
              none.distribute_local_to_global(Ac, idx, A_free);
            }
        A.compress(VectorOperation::add);
        A_free.compress(VectorOperation::add);
        rhs.compress(VectorOperation::add);
        volume = Utilities::MPI::sum(volume, comm);
      }
      SolverControl control(maxit, std::max(1e-300, rtol * rhs.l2_norm()));
      {
        PETScWrappers::SolverCG                              cg(control, comm);
        PETScWrappers::PreconditionBoomerAMG::AdditionalData data;
        data.symmetric_operator = true;
        PETScWrappers::PreconditionBoomerAMG amg(A, data);
        try
          {
            cg.solve(A, x, rhs, amg);
          }
        catch (const std::exception &e)
          {
            throw std::runtime_error("the two-compartment Darcy solve (CG + BoomerAMG) did not converge in " +
                                     std::to_string(control.last_step()) + " iterations: " + e.what());
          }
      }
      constraints.distribute(x);
      PETScWrappers::MPI::Vector xg(owned, relevant, comm);
      xg = x;

      // consistent fluxes: r = A_free x; arterial inflow = sum of r over arterial inlet nodes
      // (Neumann load or reaction), venous outflow = -sum of r over venous outlet nodes
      PETScWrappers::MPI::Vector r(owned, comm);
      A_free.vmult(r, x);
      // (ghost cells too: a patch node owned here may touch patch faces of another rank only)
      std::set<types::global_dof_index> in_a, out_v;
      for (const auto &cell : dof.active_cell_iterators())
        if (!cell->is_artificial())
          for (const auto f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              {
                const bool in = inlet.contains(cell->face(f)), out = outlet.contains(cell->face(f));
                if (!in && !out)
                  continue;
                cell->face(f)->get_dof_indices(fdofs);
                for (unsigned int i = 0; i < fdofs.size(); ++i)
                  {
                    const unsigned int c = fe.face_system_to_component_index(i).first;
                    if (!owned.is_element(fdofs[i]))
                      continue;
                    if (in && c == 0)
                      in_a.insert(fdofs[i]);
                    if (out && c == 1)
                      out_v.insert(fdofs[i]);
                  }
              }
      double s_in = 0, s_out = 0;
      for (const auto i : in_a)
        s_in += r[i];
      for (const auto i : out_v)
        s_out -= r[i];
      const double q_in_cons = Utilities::MPI::sum(s_in, comm), q_out_cons = Utilities::MPI::sum(s_out, comm);

      // transfer, pressure ranges and means, analytic errors
      double transfer = 0, pa_min = 1e300, pa_max = -1e300, pv_min = 1e300, pv_max = -1e300, pa_in_mean = 0;
      {
        FEValues<3>         fev(*mapping, fe, *quad, update_values | update_JxW_values);
        FEFaceValues<3>     fv(*mapping, fe, *fquad, update_values | update_JxW_values);
        std::vector<double> va(quad->size()), vv(quad->size()), fa(fquad->size());
        std::vector<types::global_dof_index> idx(fe.n_dofs_per_cell());
        for (const auto &cell : dof.active_cell_iterators())
          if (cell->is_locally_owned())
            {
              fev.reinit(cell);
              fev[pa].get_function_values(xg, va);
              fev[pv].get_function_values(xg, vv);
              for (unsigned int q = 0; q < quad->size(); ++q)
                transfer += beta * (va[q] - vv[q]) * fev.JxW(q);
              cell->get_dof_indices(idx);
              for (unsigned int i = 0; i < idx.size(); ++i)
                {
                  const double v = xg[idx[i]];
                  if (fe.system_to_component_index(i).first == 0)
                    pa_min = std::min(pa_min, v), pa_max = std::max(pa_max, v);
                  else
                    pv_min = std::min(pv_min, v), pv_max = std::max(pv_max, v);
                }
              for (const auto f : cell->face_indices())
                if (cell->face(f)->at_boundary() && inlet.contains(cell->face(f)))
                  {
                    fv.reinit(cell, f);
                    fv[pa].get_function_values(xg, fa);
                    for (unsigned int q = 0; q < fquad->size(); ++q)
                      pa_in_mean += fa[q] * fv.JxW(q);
                  }
            }
      }
      transfer   = Utilities::MPI::sum(transfer, comm);
      pa_in_mean = Utilities::MPI::sum(pa_in_mean, comm) / a_in;
      pa_min     = Utilities::MPI::min(pa_min, comm);
      pa_max     = Utilities::MPI::max(pa_max, comm);
      pv_min     = Utilities::MPI::min(pv_min, comm);
      pv_max     = Utilities::MPI::max(pv_max, comm);

      Json summary;
      summary.set("problem", "perfusion_2c")
        .set("git_hash", git_hash())
        .set("ranks", static_cast<int>(Utilities::MPI::n_mpi_processes(comm)))
        .set("mesh", mesh.description)
        .set("cells", static_cast<unsigned long>(mesh.tria->n_global_active_cells()))
        .set("dofs", static_cast<unsigned long>(dof.n_dofs()))
        .set("h_mm", mesh.h)
        .set("volume_mm3", volume)
        .set("inlet_area_mm2", a_in)
        .set("outlet_area_mm2", a_out)
        .set("cg_iterations", static_cast<int>(control.last_step()))
        .set("arterial_inflow_mm3_per_s", q_in_cons)
        .set("venous_outflow_mm3_per_s", q_out_cons)
        .set("transfer_mm3_per_s", transfer)
        .set("flow_mismatch_relative", (q_in_cons - q_out_cons) / q_in_cons)
        .set("transfer_mismatch_relative", (transfer - q_in_cons) / q_in_cons)
        .set("blood_flow_L_per_h", units::mm3_per_s_to_L_per_h(q_in_cons))
        .set("arterial_inlet_mean_pressure_kPa", pa_in_mean)
        .set("pressure_drop_kPa", pa_in_mean - p_out)
        .set("arterial_pressure_min_kPa", pa_min)
        .set("arterial_pressure_max_kPa", pa_max)
        .set("venous_pressure_min_kPa", pv_min)
        .set("venous_pressure_max_kPa", pv_max);
      pcout << "OrganTwin " << version_string() << " (git " << git_hash() << "), "
            << Utilities::MPI::n_mpi_processes(comm) << " MPI rank(s)\nmesh: " << mesh.description << ", "
            << mesh.tria->n_global_active_cells() << " cells, volume " << num(volume) << " mm^3, " << dof.n_dofs()
            << " DoFs (p_a, p_v)\n[perfusion_2c] CG+AMG " << control.last_step() << " iterations; arterial inflow "
            << num(q_in_cons) << " mm^3/s (" << num(units::mm3_per_s_to_L_per_h(q_in_cons)) << " L/h), venous outflow "
            << num(q_out_cons) << ", transfer " << num(transfer) << " mm^3/s; mean arterial inlet pressure "
            << num(pa_in_mean) << " kPa; p_a " << num(pa_min) << ".." << num(pa_max) << ", p_v " << num(pv_min)
            << ".." << num(pv_max) << " kPa" << std::endl;

      if (analytic)
        {
          Point<3> lo = mp.prm_lower, hi = mp.prm_upper;
          const Analytic1D ex{ka, kv, beta, g, hi[0] - lo[0], p_out, lo[0]};
          const AnalyticFunction f(ex);
          std::unique_ptr<Quadrature<3>> q4;
          if (mesh.simplex)
            q4 = std::make_unique<QGaussSimplex<3>>(4);
          else
            q4 = std::make_unique<QGauss<3>>(4);
          double e[2], nrm[2];
          for (unsigned int c = 0; c < 2; ++c)
            {
              const ComponentSelectFunction<3> mask(c, 2);
              Vector<float>                    cw(mesh.tria->n_active_cells());
              VectorTools::integrate_difference(*mapping, dof, xg, f, cw, *q4, VectorTools::L2_norm, &mask);
              e[c] = VectorTools::compute_global_error(*mesh.tria, cw, VectorTools::L2_norm);
              PETScWrappers::MPI::Vector zero(owned, relevant, comm);
              VectorTools::integrate_difference(*mapping, dof, zero, f, cw, *q4, VectorTools::L2_norm, &mask);
              nrm[c] = VectorTools::compute_global_error(*mesh.tria, cw, VectorTools::L2_norm);
            }
          summary.set("lambda_L", ex.lambda() * ex.L)
            .set("l2_error_pa_relative", e[0] / nrm[0])
            .set("l2_error_pv_relative", e[1] / nrm[1])
            .set("pa_inlet_exact_kPa", ex.pa(lo[0]));
          pcout << "[perfusion_2c] analytic 1D (lambda L = " << num(ex.lambda() * ex.L) << "): relative L2 error p_a "
                << num(e[0] / nrm[0], 4) << ", p_v " << num(e[1] / nrm[1], 4) << "; inlet p_a exact "
                << num(ex.pa(lo[0])) << " kPa" << std::endl;
        }

      if (fields)
        {
          DataOut<3> data_out;
          data_out.attach_dof_handler(dof);
          data_out.add_data_vector(xg, std::vector<std::string>{"p_arterial", "p_venous"});
          Vector<float> rank(mesh.tria->n_active_cells());
          for (auto &v : rank)
            v = mesh.tria->locally_owned_subdomain();
          data_out.add_data_vector(rank, "rank");
          data_out.build_patches(*mapping);
          data_out.write_vtu_with_pvtu_record(dir.tmp(), "fields", 0, comm, 4, 1);
          // fields.png: mid-slices of p_a and p_v (matplotlib; a failed plot is a warning only)
          if (Utilities::MPI::this_mpi_process(comm) == 0)
            {
              const std::string cmd = "/usr/bin/python3 " +
                                      shell_quote(source_file("solvers/perfusion/plot_perfusion.py")) +
                                      " --fields-only " + shell_quote(dir.tmp()) + " 2>&1";
              if (std::system(cmd.c_str()) != 0)
                pcout << "[perfusion_2c] warning: fields.png plot failed" << std::endl;
            }
        }
      wall.stop();
      summary.set("wall_time_s", Utilities::MPI::max(wall.wall_time(), comm));
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        {
          write_file_atomic(dir.tmp() + "summary.json", summary.str() + "\n");
          std::ostringstream used;
          prm.print_parameters(used, ParameterHandler::OutputStyle(ParameterHandler::PRM |
                                                                   ParameterHandler::KeepDeclarationOrder));
          write_file_atomic(dir.tmp() + "used_parameters.prm", used.str());
        }
      dir.commit();
      pcout << "results in " << dir.final_path() << " (summary.json, fields.pvtu)" << std::endl;
    }
  } // namespace

  OT_REGISTER(Case, "perfusion_2c", TwoCompartmentDarcy,
              "two-compartment (arterial/venous) Darcy perfusion with inter-compartment transfer; both "
              "patches may share a hilum")
} // namespace organtwin::perfusion
