// LDRB fibres: Laplace solves and the local frames. See fibres.h.
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_solver.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/numerics/vector_tools.h>

#include <meshes/fibres.h>
#include <solvers/common/parameters.h>

#include <array>
#include <cmath>

namespace organtwin::meshes
{
  using namespace dealii;

  void
  FibreParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Fibres");
    prm.declare_entry("Method", "none", Patterns::Selection("none|ldrb"),
                      "none: no fibre field from the mesh; ldrb: rule-based fibres (Bayer et al. 2012) from Laplace "
                      "solves between the tags below");
    prm.declare_entry("Helix angle endo", "60", Patterns::Double(-90, 90), "[deg] fibre (helix) angle alpha at the endocardium");
    prm.declare_entry("Helix angle epi", "-60", Patterns::Double(-90, 90), "[deg] fibre (helix) angle alpha at the epicardium");
    prm.declare_entry("Sheet angle endo", "-65", Patterns::Double(-90, 90), "[deg] sheet angle beta at the endocardium");
    prm.declare_entry("Sheet angle epi", "25", Patterns::Double(-90, 90), "[deg] sheet angle beta at the epicardium");
    prm.declare_entry("LV endo tag", "endo", Patterns::Anything(), "boundary tag of the LV endocardium");
    prm.declare_entry("RV endo tag", "", Patterns::Anything(), "boundary tag of the RV endocardium (empty: LV only)");
    prm.declare_entry("Epi tag", "epi", Patterns::Anything(), "boundary tag of the epicardium");
    prm.declare_entry("Base tag", "base", Patterns::Anything(), "boundary tag of the base (apico-basal coordinate 1)");
    prm.declare_entry("Apex", "auto", Patterns::Anything(),
                      "[mm] x,y,z of the apex (apico-basal coordinate 0 at the nearest epicardial vertex), or auto: "
                      "the epicardial vertex farthest from the base plane");
    prm.leave_subsection();
  }

  void
  FibreParameters::parse_parameters(ParameterHandler &prm, const std::string &deck)
  {
    prm_deck = deck;
    prm.enter_subsection("Fibres");
    prm_method     = prm.get("Method");
    prm_alpha_endo = prm.get_double("Helix angle endo");
    prm_alpha_epi  = prm.get_double("Helix angle epi");
    prm_beta_endo  = prm.get_double("Sheet angle endo");
    prm_beta_epi   = prm.get_double("Sheet angle epi");
    prm_lv_endo    = prm.get("LV endo tag");
    prm_rv_endo    = prm.get("RV endo tag");
    prm_epi        = prm.get("Epi tag");
    prm_base       = prm.get("Base tag");
    prm_apex       = prm.get("Apex");
    prm.leave_subsection();
    if (prm_apex != "auto")
      parse_point(prm_apex, deck + ": [Fibres/Apex]");
  }

  namespace
  {
    using Frame = Tensor<2, 3>; // columns e0 (circumferential), e1 (longitudinal), e2 (transmural)
    using Quat  = std::array<double, 4>;

    Tensor<1, 3>
    col(const Frame &Q, unsigned int j)
    {
      return Tensor<1, 3>({Q[0][j], Q[1][j], Q[2][j]});
    }

    Frame
    axis(const Tensor<1, 3> &g_psi, const Tensor<1, 3> &g_phi)
    {
      Tensor<1, 3> e1 = g_psi / std::max(g_psi.norm(), 1e-300);
      Tensor<1, 3> e2 = g_phi - (e1 * g_phi) * e1;
      e2 /= std::max(e2.norm(), 1e-300);
      const Tensor<1, 3> e0 = cross_product_3d(e1, e2);
      Frame              Q;
      for (unsigned int i = 0; i < 3; ++i)
        {
          Q[i][0] = e0[i];
          Q[i][1] = e1[i];
          Q[i][2] = e2[i];
        }
      return Q;
    }

    Quat
    to_quat(const Frame &R)
    {
      const double tr = R[0][0] + R[1][1] + R[2][2];
      Quat         q;
      if (tr > 0)
        {
          const double s = 2 * std::sqrt(tr + 1);
          q              = {0.25 * s, (R[2][1] - R[1][2]) / s, (R[0][2] - R[2][0]) / s, (R[1][0] - R[0][1]) / s};
        }
      else if (R[0][0] > R[1][1] && R[0][0] > R[2][2])
        {
          const double s = 2 * std::sqrt(1 + R[0][0] - R[1][1] - R[2][2]);
          q              = {(R[2][1] - R[1][2]) / s, 0.25 * s, (R[0][1] + R[1][0]) / s, (R[0][2] + R[2][0]) / s};
        }
      else if (R[1][1] > R[2][2])
        {
          const double s = 2 * std::sqrt(1 + R[1][1] - R[0][0] - R[2][2]);
          q              = {(R[0][2] - R[2][0]) / s, (R[0][1] + R[1][0]) / s, 0.25 * s, (R[1][2] + R[2][1]) / s};
        }
      else
        {
          const double s = 2 * std::sqrt(1 + R[2][2] - R[0][0] - R[1][1]);
          q              = {(R[1][0] - R[0][1]) / s, (R[0][2] + R[2][0]) / s, (R[1][2] + R[2][1]) / s, 0.25 * s};
        }
      return q;
    }

    Frame
    to_frame(const Quat &q)
    {
      const double w = q[0], x = q[1], y = q[2], z = q[3];
      Frame        R;
      R[0][0] = 1 - 2 * (y * y + z * z);
      R[0][1] = 2 * (x * y - z * w);
      R[0][2] = 2 * (x * z + y * w);
      R[1][0] = 2 * (x * y + z * w);
      R[1][1] = 1 - 2 * (x * x + z * z);
      R[1][2] = 2 * (y * z - x * w);
      R[2][0] = 2 * (x * z - y * w);
      R[2][1] = 2 * (y * z + x * w);
      R[2][2] = 1 - 2 * (x * x + y * y);
      return R;
    }

    Quat
    mul(const Quat &a, const Quat &b)
    {
      return {a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3], a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
              a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1], a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0]};
    }

    /// Bayer et al. 2012 bislerp: slerp from A to the member of B's class (B times a half
    /// turn about one of its axes: the frame's columns are directions, not vectors) closest to A.
    Frame
    bislerp(const Frame &A, const Frame &B, double t)
    {
      if (t <= 0)
        return A;
      if (t >= 1)
        return B;
      const Quat qa = to_quat(A), qb = to_quat(B);
      const Quat units[4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
      Quat       best;
      double     best_dot = -1;
      for (const auto &u : units)
        {
          const Quat   c = mul(qb, u);
          const double d = std::abs(qa[0] * c[0] + qa[1] * c[1] + qa[2] * c[2] + qa[3] * c[3]);
          if (d > best_dot)
            {
              best_dot = d;
              best     = c;
            }
        }
      double dot = qa[0] * best[0] + qa[1] * best[1] + qa[2] * best[2] + qa[3] * best[3];
      if (dot < 0)
        {
          for (auto &c : best)
            c = -c;
          dot = -dot;
        }
      Quat q;
      if (dot > 1 - 1e-12)
        for (unsigned int i = 0; i < 4; ++i)
          q[i] = qa[i] + t * (best[i] - qa[i]);
      else
        {
          const double th = std::acos(std::min(1., dot));
          const double a = std::sin((1 - t) * th) / std::sin(th), b = std::sin(t * th) / std::sin(th);
          for (unsigned int i = 0; i < 4; ++i)
            q[i] = a * qa[i] + b * best[i];
        }
      const double l = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
      for (auto &c : q)
        c /= l;
      return to_frame(q);
    }

    /// Solve -lap u = 0 with u = value on the given boundary ids (and at fixed DoFs);
    /// returns the cell-wise gradient and cell-average value.
    void
    laplace(const DoFHandler<3> &dh, const Mapping<3> &mapping, const std::map<types::boundary_id, double> &dirichlet,
            const std::map<types::global_dof_index, double> &fixed, std::vector<std::array<Tensor<1, 3>, 4>> &grad,
            std::vector<std::array<double, 4>> &nodal)
    {
      const MPI_Comm comm     = dh.get_communicator();
      const IndexSet owned    = dh.locally_owned_dofs();
      IndexSet       relevant;
      DoFTools::extract_locally_relevant_dofs(dh, relevant);
      AffineConstraints<double> cons(relevant);
      for (const auto &[id, v] : dirichlet)
        VectorTools::interpolate_boundary_values(mapping, dh, id, Functions::ConstantFunction<3>(v), cons);
      for (const auto &[dof, v] : fixed)
        if (relevant.is_element(dof) && !cons.is_constrained(dof))
          {
            cons.add_line(dof);
            cons.set_inhomogeneity(dof, v);
          }
      cons.close();
      DynamicSparsityPattern dsp(relevant);
      DoFTools::make_sparsity_pattern(dh, dsp, cons, false);
      SparsityTools::distribute_sparsity_pattern(dsp, owned, comm, relevant);
      PETScWrappers::MPI::SparseMatrix A;
      A.reinit(owned, owned, dsp, comm);
      PETScWrappers::MPI::Vector b(owned, comm), x(owned, comm);

      const auto        &fe = dh.get_fe();
      QGaussSimplex<3>   q(1);
      FEValues<3>        fv(mapping, fe, q, update_gradients | update_JxW_values);
      FullMatrix<double> Ke(fe.n_dofs_per_cell(), fe.n_dofs_per_cell());
      Vector<double>     be(fe.n_dofs_per_cell());
      std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
      for (const auto &cell : dh.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fv.reinit(cell);
            Ke = 0;
            be = 0;
            for (unsigned int k = 0; k < q.size(); ++k)
              for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
                for (unsigned int j = 0; j < fe.n_dofs_per_cell(); ++j)
                  Ke(i, j) += fv.shape_grad(i, k) * fv.shape_grad(j, k) * fv.JxW(k);
            cell->get_dof_indices(dofs);
            cons.distribute_local_to_global(Ke, be, dofs, A, b);
          }
      A.compress(VectorOperation::add);
      b.compress(VectorOperation::add);
      SolverControl                    control(2000, 1e-12 * std::max(b.l2_norm(), 1e-300));
      PETScWrappers::SolverCG          cg(control, comm);
      PETScWrappers::PreconditionBoomerAMG amg(A, PETScWrappers::PreconditionBoomerAMG::AdditionalData(true));
      cg.solve(A, x, b, amg);
      cons.distribute(x);
      PETScWrappers::MPI::Vector xg(owned, relevant, comm);
      xg = x;

      // Gradient recovery: volume-weighted average of the cell gradients at each vertex
      // (a lumped L2 projection onto P1). A raw P1 gradient is meaningless in cells whose
      // four vertices lie on one Dirichlet surface (common with 2-3 cells across a wall).
      const std::size_t n_cells = dh.get_triangulation().n_active_cells();
      grad.assign(n_cells, std::array<Tensor<1, 3>, 4>());
      nodal.assign(n_cells, std::array<double, 4>{{0, 0, 0, 0}});
      std::array<PETScWrappers::MPI::Vector, 4> acc; // gx, gy, gz, weight
      for (auto &a : acc)
        a.reinit(owned, comm);
      QGaussSimplex<3>          qc(1); // centroid
      FEValues<3>               fc(mapping, fe, qc, update_gradients | update_JxW_values);
      std::vector<Tensor<1, 3>> g(1);
      Vector<double>            local(4);
      for (const auto &cell : dh.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fc.reinit(cell);
            fc.get_function_gradients(xg, g);
            cell->get_dof_indices(dofs);
            const double vol = fc.JxW(0);
            for (unsigned int k = 0; k < 4; ++k)
              {
                for (unsigned int d = 0; d < 3; ++d)
                  acc[d].add(std::vector<types::global_dof_index>{dofs[k]}, std::vector<double>{vol * g[0][d]});
                acc[3].add(std::vector<types::global_dof_index>{dofs[k]}, std::vector<double>{vol});
              }
            cell->get_dof_values(xg, local); // P1 on simplices: DoF k sits at vertex k
            for (unsigned int k = 0; k < 4; ++k)
              nodal[cell->active_cell_index()][k] = local[k];
          }
      std::array<PETScWrappers::MPI::Vector, 4> accg;
      for (unsigned int c = 0; c < 4; ++c)
        {
          acc[c].compress(VectorOperation::add);
          accg[c].reinit(owned, relevant, comm);
          accg[c] = acc[c];
        }
      for (const auto &cell : dh.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell->get_dof_indices(dofs);
            for (unsigned int k = 0; k < 4; ++k)
              for (unsigned int d = 0; d < 3; ++d)
                grad[cell->active_cell_index()][k][d] = accg[d][dofs[k]] / accg[3][dofs[k]];
          }
    }
  } // namespace

  namespace
  {
    std::array<double, 4>
    barycentric(const std::array<Point<3>, 4> &v, const Point<3> &x)
    {
      Tensor<2, 3> J;
      for (unsigned int d = 0; d < 3; ++d)
        for (unsigned int k = 0; k < 3; ++k)
          J[d][k] = v[k + 1][d] - v[0][d];
      const Tensor<1, 3> l = invert(J) * (x - v[0]);
      return {1 - l[0] - l[1] - l[2], l[0], l[1], l[2]};
    }
  } // namespace

  double
  FibreField::depth_at(unsigned int i, const std::array<Point<3>, 4> &v, const Point<3> &x) const
  {
    const auto l = barycentric(v, x);
    double     e = 0;
    for (unsigned int k = 0; k < 4; ++k)
      e += l[k] * nodal[i][4 + k];
    return std::min(1., std::max(0., e));
  }

  void
  FibreField::frame_at(unsigned int i, const std::array<Point<3>, 4> &v, const Point<3> &x, Tensor<1, 3> &fo,
                       Tensor<1, 3> &so, Tensor<1, 3> &no) const
  {
    const auto l = barycentric(v, x);
    double     e = 0, lvv = 0, rvv = 0;
    for (unsigned int k = 0; k < 4; ++k)
      {
        e += l[k] * nodal[i][4 + k];
        lvv += l[k] * nodal[i][8 + k];
        rvv += l[k] * nodal[i][12 + k];
      }
    e                           = std::min(1., std::max(0., e));
    Tensor<1, 3> gpsi, gepi, glv, grv;
    for (unsigned int k = 0; k < 4; ++k)
      {
        gpsi += l[k] * ngrads[i][k];
        gepi += l[k] * ngrads[i][4 + k];
        glv += l[k] * ngrads[i][8 + k];
        grv += l[k] * ngrads[i][12 + k];
      }
    Frame endo = axis(gpsi, -glv);
    if (has_rv)
      {
        const double d = std::min(1., std::max(0., rvv / std::max(lvv + rvv, 1e-12)));
        endo           = bislerp(endo, axis(gpsi, grv), d);
      }
    const Frame        A     = bislerp(endo, axis(gpsi, gepi), e);
    const double       deg   = M_PI / 180;
    const double       alpha = (prm.prm_alpha_endo + e * (prm.prm_alpha_epi - prm.prm_alpha_endo)) * deg;
    const double       beta  = (prm.prm_beta_endo + e * (prm.prm_beta_epi - prm.prm_beta_endo)) * deg;
    const Tensor<1, 3> f     = std::cos(alpha) * col(A, 0) + std::sin(alpha) * col(A, 1);
    const Tensor<1, 3> t     = col(A, 2);
    so                       = std::cos(beta) * t + std::sin(beta) * cross_product_3d(f, t);
    fo                       = f;
    no                       = cross_product_3d(f, so);
  }

  double
  helix_angle(const Tensor<1, 3> &f_in, const Point<3> &x, const Point<3> &c, const Tensor<1, 3> &e_long,
              const Tensor<1, 3> &wall_normal)
  {
    const Tensor<1, 3> el = e_long / e_long.norm();
    Tensor<1, 3>       r  = (x - c) - ((x - c) * el) * el;
    r /= r.norm();
    Tensor<1, 3> ec = cross_product_3d(el, r);
    Tensor<1, 3> em = el;
    if (wall_normal.norm() > 0)
      {
        // local wall frame: circumferential ec in the tangent plane, meridional em = n x ec
        const Tensor<1, 3> n = wall_normal / wall_normal.norm();
        ec -= (ec * n) * n;
        ec /= ec.norm();
        em = cross_product_3d(n, ec);
        if (em * el < 0)
          em = -em;
      }
    Tensor<1, 3> f = f_in;
    if (f * ec < 0)
      f = -f;
    return std::atan2(f * em, f * ec) * 180 / M_PI;
  }

  FibreField
  compute_fibres(const Mesh &mesh, const FibreParameters &p)
  {
    Timer timer;
    const std::string where = p.prm_deck + ": [Fibres]";
    input_check(mesh.simplex, where + "/Method] = ldrb", "needs a tetrahedral mesh (Source = generator, surface or file)");
    const unsigned int lv   = mesh.boundary_id(p.prm_lv_endo, p.prm_deck + ": [Fibres/LV endo tag]");
    const unsigned int epi  = mesh.boundary_id(p.prm_epi, p.prm_deck + ": [Fibres/Epi tag]");
    const unsigned int base = mesh.boundary_id(p.prm_base, p.prm_deck + ": [Fibres/Base tag]");
    const bool         has_rv = !p.prm_rv_endo.empty();
    const unsigned int rv     = has_rv ? mesh.boundary_id(p.prm_rv_endo, p.prm_deck + ": [Fibres/RV endo tag]") : 0;

    FE_SimplexP<3> fe(1);
    MappingFE<3>   mapping(FE_SimplexP<3>(1));
    DoFHandler<3>  dh(*mesh.tria);
    dh.distribute_dofs(fe);
    const MPI_Comm comm = mesh.tria->get_communicator();

    // apex: the epicardial vertex farthest from the base plane (or nearest to the given point)
    Point<3> apex;
    {
      Tensor<1, 3> nb;
      Point<3>     cb;
      double       ab = 0;
      QGaussSimplex<2>  q(1);
      FEFaceValues<3>   fv(mapping, fe, q, update_normal_vectors | update_JxW_values | update_quadrature_points);
      for (const auto &cell : dh.active_cell_iterators())
        if (cell->is_locally_owned())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == base)
              {
                fv.reinit(cell, f);
                nb += fv.normal_vector(0) * fv.JxW(0);
                cb += fv.quadrature_point(0) * fv.JxW(0);
                ab += fv.JxW(0);
              }
      for (unsigned int d = 0; d < 3; ++d)
        {
          nb[d] = Utilities::MPI::sum(nb[d], comm);
          cb[d] = Utilities::MPI::sum(cb[d], comm);
        }
      ab = Utilities::MPI::sum(ab, comm);
      input_check(ab > 0 && nb.norm() > 0, p.prm_deck + ": [Fibres/Base tag] = " + p.prm_base, "the base tag has no faces");
      cb /= ab;
      nb /= nb.norm();
      const bool auto_apex = p.prm_apex == "auto";
      const Point<3> given = auto_apex ? Point<3>() : parse_point(p.prm_apex, p.prm_deck + ": [Fibres/Apex]");
      double   best = -1e300;
      Point<3> arg;
      for (const auto &cell : dh.active_cell_iterators())
        if (cell->is_locally_owned())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == epi)
              for (unsigned int v = 0; v < 3; ++v)
                {
                  const Point<3> x     = cell->face(f)->vertex(v);
                  const double   score = auto_apex ? (cb - x) * nb : -x.distance(given);
                  if (score > best)
                    {
                      best = score;
                      arg  = x;
                    }
                }
      const auto all = Utilities::MPI::all_gather(comm, std::make_pair(best, arg));
      best           = -1e300;
      for (const auto &[s, x] : all)
        if (s > best)
          {
            best = s;
            apex = x;
          }
    }
    // psi = 0 on the epicardial vertices within 5 % of the apex-base distance of the apex
    // (a single vertex would be a point condition, whose solution dips only within a cell
    // or two of it in 3D)
    std::map<types::global_dof_index, double> apex_dof;
    {
      double apex_base = 0;
      for (const auto &cell : dh.active_cell_iterators())
        if (cell->is_locally_owned())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == base)
              apex_base = std::max(apex_base, cell->face(f)->center().distance(apex));
      apex_base           = Utilities::MPI::max(apex_base, comm);
      const double radius = 0.05 * apex_base;
      std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
      for (const auto &cell : dh.active_cell_iterators())
        if (!cell->is_artificial())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == epi)
              for (unsigned int v = 0; v < 4; ++v)
                if (cell->vertex(v).distance(apex) <= radius + 1e-12 * (1 + apex.norm()))
              {
                cell->get_dof_indices(dofs);
                apex_dof[dofs[v]] = 0.; // P1 on simplices: DoF v sits at vertex v
              }
    }

    FibreField out;
    out.prm    = p;
    out.has_rv = has_rv;
    std::vector<std::array<Tensor<1, 3>, 4>> g_psi, g_epi, g_lv, g_rv;
    std::vector<std::array<double, 4>> m_psi, m_epi, m_lv, m_rv;
    laplace(dh, mapping, {{base, 1.}}, apex_dof, g_psi, m_psi);
    std::map<types::boundary_id, double> bc_epi{{epi, 1.}, {lv, 0.}}, bc_lv{{lv, 1.}, {epi, 0.}};
    if (has_rv)
      {
        bc_epi[rv] = 0;
        bc_lv[rv]  = 0;
      }
    laplace(dh, mapping, bc_epi, {}, g_epi, m_epi);
    laplace(dh, mapping, bc_lv, {}, g_lv, m_lv);
    if (has_rv)
      laplace(dh, mapping, {{rv, 1.}, {lv, 0.}, {epi, 0.}}, {}, g_rv, m_rv);

    const std::size_t n = mesh.tria->n_active_cells();
    out.f.assign(n, Tensor<1, 3>());
    out.s.assign(n, Tensor<1, 3>());
    out.n.assign(n, Tensor<1, 3>());
    out.depth.assign(n, 0.);
    out.apicobasal.assign(n, 0.);
    out.lvrv.assign(n, 0.);
    out.grads.resize(n);
    out.ngrads.resize(n);
    out.nodal.resize(n);
    for (const auto &cell : mesh.tria->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int i = cell->active_cell_index();
          for (unsigned int k = 0; k < 4; ++k)
            {
              out.ngrads[i][k]      = g_psi[i][k];
              out.ngrads[i][4 + k]  = g_epi[i][k];
              out.ngrads[i][8 + k]  = g_lv[i][k];
              out.ngrads[i][12 + k] = has_rv ? g_rv[i][k] : Tensor<1, 3>();
              for (unsigned int fld = 0; fld < 4; ++fld)
                out.grads[i][fld] += 0.25 * out.ngrads[i][4 * fld + k];
              out.nodal[i][k]      = m_psi[i][k];
              out.nodal[i][4 + k]  = m_epi[i][k];
              out.nodal[i][8 + k]  = m_lv[i][k];
              out.nodal[i][12 + k] = has_rv ? m_rv[i][k] : 0.;
            }
          std::array<Point<3>, 4> v;
          for (unsigned int k = 0; k < 4; ++k)
            v[k] = cell->vertex(k);
          const Point<3> c = cell->center();
          out.frame_at(i, v, c, out.f[i], out.s[i], out.n[i]);
          out.depth[i]      = out.depth_at(i, v, c);
          double psi = 0, lvv = 0, rvv = 0;
          for (unsigned int k = 0; k < 4; ++k)
            {
              psi += 0.25 * m_psi[i][k];
              lvv += 0.25 * m_lv[i][k];
              rvv += has_rv ? 0.25 * m_rv[i][k] : 0.;
            }
          out.apicobasal[i] = psi;
          out.lvrv[i]       = has_rv ? rvv / std::max(lvv + rvv, 1e-12) : 0.;
        }
    out.seconds = timer.wall_time();
    return out;
  }
} // namespace organtwin::meshes
