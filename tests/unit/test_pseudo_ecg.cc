// Pseudo-ECG (infinite homogeneous conductor) and ECG analysis (QRS, T wave, QT).
//  - manufactured: Vm linear over a box, exact integral from the divergence theorem,
//    hexahedra (PETSc vector) and tetrahedra (deal.II vector), error falls with refinement;
//  - far field: potential -> current-dipole formula, error ~ size/distance;
//  - sign: Vm increasing towards the electrode gives phi_e < 0;
//  - ecg_analysis on a synthetic Gaussian QRS + T wave with known onset and tangent T end;
//  - bad inputs.
#include <postprocess/ecg_analysis.h>
#include <postprocess/pseudo_ecg.h>
#include <meshes/mesh.h>

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/numerics/vector_tools.h>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace dealii;
using namespace organtwin::postprocess;

namespace
{
  const Point<3> box_lo(0., 0., 0.), box_hi(2., 1., 1.5); // [mm]

  Tensor<2, 3>
  sigma_unit(const Point<3> &)
  {
    return unit_symmetric_tensor<3>();
  }

  /// Exact phi_e for Vm = g.x over the box, sigma_i = sigma_b * I: by the divergence theorem
  /// Int grad_x(1/r) dx = Surf (1/r) n dS, and phi_e = -g . Surf (1/r) n dS / (4 pi).
  /// The surface integral is done with 16 x 16 panels of 8 x 8 Gauss points per face.
  double
  exact_linear(const Tensor<1, 3> &g, const Point<3> &xe)
  {
    const QIterated<1> q1(QGauss<1>(8), 16);
    Tensor<1, 3>       surf;
    for (unsigned int d = 0; d < 3; ++d) // face normal direction
      for (int side = 0; side < 2; ++side)
        {
          const unsigned int a = (d + 1) % 3, b = (d + 2) % 3;
          const double       la = box_hi[a] - box_lo[a], lb = box_hi[b] - box_lo[b];
          double             s  = 0;
          for (unsigned int i = 0; i < q1.size(); ++i)
            for (unsigned int j = 0; j < q1.size(); ++j)
              {
                Point<3> x;
                x[d] = side ? box_hi[d] : box_lo[d];
                x[a] = box_lo[a] + la * q1.point(i)[0];
                x[b] = box_lo[b] + lb * q1.point(j)[0];
                s += q1.weight(i) * q1.weight(j) * la * lb / x.distance(xe);
              }
          surf[d] += side ? s : -s;
        }
    return -(g * surf) / (4. * numbers::PI);
  }

  /// Vm = g.x + c
  class LinearVm : public Function<3>
  {
  public:
    LinearVm(const Tensor<1, 3> &g, double c)
      : g(g)
      , c(c)
    {}
    double
    value(const Point<3> &x, const unsigned int = 0) const override
    {
      return g * x + c;
    }
    Tensor<1, 3> g;
    double       c;
  };

  /// Hex box mesh on p4est with n_per_mm elements per mm, FE_Q(1).
  struct HexSetup
  {
    explicit HexSetup(unsigned int n_per_mm)
      : tria(MPI_COMM_WORLD)
      , fe(1)
      , dof(tria)
    {
      std::vector<unsigned int> rep(3);
      for (unsigned int d = 0; d < 3; ++d)
        rep[d] = static_cast<unsigned int>(std::lround((box_hi[d] - box_lo[d]) * n_per_mm));
      GridGenerator::subdivided_hyper_rectangle(tria, rep, box_lo, box_hi);
      dof.distribute_dofs(fe);
    }
    PETScWrappers::MPI::Vector
    interpolate(const Function<3> &f)
    {
      PETScWrappers::MPI::Vector v(dof.locally_owned_dofs(), MPI_COMM_WORLD);
      VectorTools::interpolate(mapping, dof, f, v);
      return v;
    }
    parallel::distributed::Triangulation<3> tria;
    FE_Q<3>                                 fe;
    MappingQ1<3>                            mapping;
    QGauss<3>                               quad{2};
    DoFHandler<3>                           dof;
  };

  /// Tet box mesh as the solver builds it (meshes::create_mesh, fully distributed), FE_SimplexP(1).
  struct TetSetup
  {
    explicit TetSetup(double h)
      : fe(1)
      , mapping(FE_SimplexP<3>(1))
    {
      organtwin::meshes::MeshParameters p;
      p.prm_element_type = "tet";
      p.prm_lower        = box_lo;
      p.prm_upper        = box_hi;
      p.prm_element_size = h;
      mesh               = organtwin::meshes::create_mesh(p, MPI_COMM_WORLD);
      dof.reinit(*mesh.tria);
      dof.distribute_dofs(fe);
    }
    organtwin::meshes::Mesh mesh;
    FE_SimplexP<3>          fe;
    MappingFE<3>            mapping;
    QGaussSimplex<3>        quad{2};
    DoFHandler<3>           dof;
  };

  const Tensor<1, 3> g_test({1., -2., 0.5}); // [mV/mm]

  // ---------------- synthetic ECG -----------------------------------------------------
  struct Synthetic
  {
    double b = 0.3;                       // [mV] baseline offset
    double Aq = 2.0, tq = 40., sq = 6.;   // QRS Gaussian [mV, ms, ms]
    double At = 0.6, tt = 300., st = 35.; // T Gaussian
    double
    operator()(double t) const
    {
      return b + Aq * std::exp(-0.5 * std::pow((t - tq) / sq, 2)) + At * std::exp(-0.5 * std::pow((t - tt) / st, 2));
    }
    /// QRS onset by the documented rule: |g'| = f max|g'| on the rising side, x < -1, where
    /// |x| exp(-x^2/2) = f exp(-1/2) (bisection).
    double
    onset(double f) const
    {
      double lo = -10, hi = -1;
      for (int i = 0; i < 200; ++i)
        {
          const double mid = 0.5 * (lo + hi);
          (std::abs(mid) * std::exp(-0.5 * mid * mid) > f * std::exp(-0.5) ? hi : lo) = mid;
        }
      return tq + 0.5 * (lo + hi) * sq;
    }
    /// The tangent at the steepest T downslope, t* = tt + st (value b + At e^-1/2, slope
    /// -At e^-1/2 / st; the QRS tail there is below 1e-300), meets the baseline phi(onset):
    /// tt + 2 st if the baseline were b, shifted by (baseline - b) st e^1/2 / At.
    double
    t_end(double f) const
    {
      const double baseline = (*this)(onset(f));
      return tt + 2. * st - (baseline - b) * st * std::exp(0.5) / At;
    }
  };

  void
  sample(const Synthetic &f, double dt, double t1, std::vector<double> &t, std::vector<double> &y)
  {
    t.clear();
    y.clear();
    for (long k = 0; k * dt <= t1 + 1e-12; ++k)
      {
        t.push_back(k * dt);
        y.push_back(f(k * dt));
      }
  }
} // namespace

BOOST_AUTO_TEST_SUITE(pseudo_ecg)

BOOST_AUTO_TEST_CASE(manufactured_linear_hex_converges)
{
  const Point<3>      xe(3.0, 0.6, 0.7); // 1 mm from the face x = 2 mm
  const double        exact = exact_linear(g_test, xe);
  std::vector<double> err;
  for (unsigned int n : {2u, 4u, 8u})
    {
      HexSetup s(n);
      PseudoEcg ecg(s.dof, s.mapping, s.quad, {{"E", xe}}, sigma_unit, 1.0);
      const double phi = ecg.compute(s.interpolate(LinearVm(g_test, -80.)))[0];
      err.push_back(std::abs(phi - exact));
      BOOST_TEST_MESSAGE("hex h = " << 1. / n << " mm: phi = " << phi << " mV, exact " << exact << " mV, error "
                                    << err.back());
      BOOST_TEST(ecg.warnings().empty());
    }
  BOOST_TEST(std::abs(exact) > 1e-3);
  BOOST_TEST(err[1] < err[0] / 8.); // QGauss(2): O(h^4) kernel quadrature error
  BOOST_TEST(err[2] < err[1] / 8.);
  BOOST_TEST(err[2] < 1e-5 * std::abs(exact) + 1e-12);
}

BOOST_AUTO_TEST_CASE(manufactured_linear_tet_converges)
{
  const Point<3>      xe(3.0, 0.6, 0.7);
  const double        exact = exact_linear(g_test, xe);
  std::vector<double> err;
  for (double h : {0.5, 0.25})
    {
      TetSetup s(h);
      // ghosted: interpolate() writes every DoF of the owned cells
      LinearAlgebra::distributed::Vector<double> v(s.dof.locally_owned_dofs(),
                                                   DoFTools::extract_locally_relevant_dofs(s.dof), MPI_COMM_WORLD);
      VectorTools::interpolate(s.mapping, s.dof, LinearVm(g_test, 10.), v);
      PseudoEcg    ecg(s.dof, s.mapping, s.quad, {{"E", xe}}, sigma_unit, 1.0);
      const double phi = ecg.compute(v)[0];
      err.push_back(std::abs(phi - exact));
      BOOST_TEST_MESSAGE("tet h = " << h << " mm: phi = " << phi << " mV, exact " << exact << " mV, error "
                                    << err.back());
    }
  BOOST_TEST(err[1] < err[0] / 8.);
  BOOST_TEST(err[1] < 1e-6 * std::abs(exact));
}

BOOST_AUTO_TEST_CASE(far_field_dipole)
{
  // A smooth oblique front Vm = -85 + 60 (1 + tanh((x - 0.8 - 0.3 y) / 0.2)) and an
  // anisotropic sigma_i, passed as 2 sigma_i with tensor_scale = 0.5.
  class Front : public Function<3>
  {
  public:
    double
    value(const Point<3> &x, const unsigned int = 0) const override
    {
      return -85. + 60. * (1. + std::tanh((x[0] - 0.8 - 0.3 * x[1]) / 0.2));
    }
  };
  Tensor<2, 3> sigma; // [S/m]
  sigma[0][0] = 0.2;
  sigma[1][1] = 0.05;
  sigma[2][2] = 0.02;
  sigma[0][1] = sigma[1][0] = 0.03;
  const double sigma_b = 0.5;

  HexSetup                         s(4);
  const PETScWrappers::MPI::Vector v = s.interpolate(Front());

  // Total moment M = Int sigma_i grad Vm dx of the discrete field.
  Tensor<1, 3> M;
  {
    FEValues<3>               fev(s.mapping, s.fe, s.quad, update_gradients | update_JxW_values);
    std::vector<Tensor<1, 3>> grad(s.quad.size());
    LinearAlgebra::distributed::Vector<double> vg(s.dof.locally_owned_dofs(),
                                                  DoFTools::extract_locally_relevant_dofs(s.dof), MPI_COMM_WORLD);
    VectorTools::interpolate(s.mapping, s.dof, Front(), vg);
    vg.update_ghost_values();
    for (const auto &cell : s.dof.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fev.reinit(cell);
          fev.get_function_gradients(vg, grad);
          for (unsigned int q = 0; q < s.quad.size(); ++q)
            M += sigma * grad[q] * fev.JxW(q);
        }
    for (unsigned int d = 0; d < 3; ++d)
      M[d] = Utilities::MPI::sum(M[d], MPI_COMM_WORLD);
  }
  const Point<3>     xc = 0.5 * (box_lo + box_hi);
  const double       a  = 0.5 * box_lo.distance(box_hi); // half diagonal [mm]
  Tensor<1, 3>       dir({1., 0.6, -0.4});
  dir /= dir.norm();
  std::vector<Electrode> el;
  const std::vector<double> R = {25., 50., 100., 200.};
  for (unsigned int i = 0; i < R.size(); ++i)
    el.push_back({"R" + std::to_string(i), xc + R[i] * dir});
  PseudoEcg ecg(s.dof, s.mapping, s.quad, el, [&](const Point<3> &) { return 2. * sigma; }, sigma_b, 0.5);
  const std::vector<double> phi = ecg.compute(v);
  double                    previous = 0;
  for (unsigned int i = 0; i < R.size(); ++i)
    {
      const Tensor<1, 3> r       = el[i].x - xc;
      const double       dipole  = -(M * r) / (4. * numbers::PI * sigma_b * std::pow(r.norm(), 3));
      const double       rel_err = std::abs(phi[i] - dipole) / std::abs(dipole);
      BOOST_TEST_MESSAGE("R = " << R[i] << " mm: phi = " << phi[i] << " mV, dipole " << dipole
                                << " mV, relative difference " << rel_err << " (tolerance a/R = " << a / R[i] << ")");
      BOOST_TEST(rel_err < a / R[i]); // quadrupole / dipole ~ a / R
      if (i > 0)                      // and it falls like 1 / R: halves when R doubles
        BOOST_TEST(previous / rel_err == 2., boost::test_tools::tolerance(0.05));
      previous = rel_err;
    }
}

BOOST_AUTO_TEST_CASE(sign_convention)
{
  HexSetup     s(2);
  const double x_far = 12.;
  PseudoEcg    ecg(s.dof, s.mapping, s.quad, {{"right", Point<3>(x_far, 0.5, 0.75)}, {"left", Point<3>(-10., 0.5, 0.75)}},
                sigma_unit, 1.0);
  Tensor<1, 3> ex({1., 0., 0.});
  // Vm increasing towards the right electrode: phi(right) < 0, phi(left) > 0.
  const std::vector<double> up = ecg.compute(s.interpolate(LinearVm(ex, -80.)));
  BOOST_TEST(up[0] < 0.);
  BOOST_TEST(up[1] > 0.);
  // A front moving towards +x (depolarised behind it, Vm falling towards +x): R wave
  // positive at the right electrode.
  const std::vector<double> down = ecg.compute(s.interpolate(LinearVm(-ex, 20.)));
  BOOST_TEST(down[0] > 0.);
  BOOST_TEST(down[0] == -up[0], boost::test_tools::tolerance(1e-12));
  const Lead lead = PseudoEcg::lead_difference(ecg.electrodes(), "right", "left");
  BOOST_TEST(lead.name == "right-left");
  BOOST_TEST(lead(down) == down[0] - down[1]);
  BOOST_TEST(PseudoEcg::lead_unipolar(ecg.electrodes(), "left")(down) == down[1]);
  BOOST_TEST(ecg_csv({"right-left"}, {{0., 1.5}, {0.5, -2.}}) == "t_ms,right-left\n0,1.5\n0.5,-2\n");
}

BOOST_AUTO_TEST_CASE(electrode_inside_tissue_warns)
{
  HexSetup  s(2);
  PseudoEcg ecg(s.dof, s.mapping, s.quad, {{"in", Point<3>(1.1, 0.4, 0.8)}, {"out", Point<3>(5., 5., 5.)}}, sigma_unit,
                1.0);
  BOOST_REQUIRE(ecg.warnings().size() == 1u);
  BOOST_TEST(ecg.warnings()[0].find("\"in\"") != std::string::npos);
  BOOST_TEST(ecg.distance_to_tissue(0) < 0.5);
  const std::vector<double> phi = ecg.compute(s.interpolate(LinearVm(g_test, 0.)));
  BOOST_TEST(std::isfinite(phi[0]));
}

BOOST_AUTO_TEST_CASE(transmural_wedge_upright_t)
{
  // End to end: a prescribed action-potential field on a 10 mm transmural slab, endocardium
  // at x = 0 stimulated at 5 ms, front at 0.5 mm/ms towards the epicardium (x = 10 mm);
  // APD 280 ms (endo), 320 ms (M, x = 4 mm), 240 ms (epi). With a unipolar electrode 20 mm
  // beyond the epicardium the QRS must be positive (front approaching) and, since the
  // epicardium repolarises first, the T wave upright (Yan & Antzelevitch 1998); the T end
  // must lie inside the repolarisation window. The slab's QRS is box-shaped (a planar front is
  // a constant dipole), which the QRS-end rule must handle.
  class WedgeAp : public Function<3>
  {
  public:
    static double
    t_act(double x)
    {
      return 5. + x / 0.5;
    }
    static double
    apd(double x)
    {
      return x < 4. ? 280. + 10. * x : 320. - 80. * (x - 4.) / 6.;
    }
    double
    value(const Point<3> &x, const unsigned int = 0) const override
    {
      const double t = get_time(), ta = t_act(x[0]);
      const auto   sig = [](double z) { return 0.5 * (1. + std::tanh(z)); };
      return -85. + 120. * sig((t - ta) / 1.) * sig(-(t - ta - apd(x[0])) / 8.);
    }
  };
  organtwin::meshes::MeshParameters mp;
  mp.prm_lower        = Point<3>(0., 0., 0.);
  mp.prm_upper        = Point<3>(10., 1., 1.);
  mp.prm_element_size = 0.25;
  organtwin::meshes::Mesh mesh = organtwin::meshes::create_mesh(mp, MPI_COMM_WORLD);
  FE_Q<3>                 fe(1);
  MappingQ1<3>            mapping;
  DoFHandler<3>           dof(*mesh.tria);
  dof.distribute_dofs(fe);
  const std::vector<Electrode> el = {{"epi", Point<3>(30., 0.5, 0.5)}};
  PseudoEcg                    ecg(dof, mapping, QGauss<3>(2), el, sigma_unit, 1.0);
  const Lead                   lead = PseudoEcg::lead_unipolar(el, "epi"); // as Gima & Rudy 2002

  WedgeAp                    ap;
  PETScWrappers::MPI::Vector v(dof.locally_owned_dofs(), MPI_COMM_WORLD);
  std::vector<double>        t, phi;
  for (int k = 0; k <= 500; ++k)
    {
      ap.set_time(k);
      VectorTools::interpolate(mapping, dof, ap, v);
      t.push_back(k);
      phi.push_back(lead(ecg.compute(v)));
    }
  const EcgMetrics m = analyse_ecg(t, phi, 5., 1000.);
  double           first_rep = 1e9, last_rep = 0; // repolarisation times t_act + APD [ms]
  for (double x = 0; x <= 10.; x += 0.25)
    {
      first_rep = std::min(first_rep, WedgeAp::t_act(x) + WedgeAp::apd(x));
      last_rep  = std::max(last_rep, WedgeAp::t_act(x) + WedgeAp::apd(x));
    }
  BOOST_TEST_MESSAGE("wedge: QRS " << m.qrs_onset << "-" << m.qrs_end << " ms, amplitude " << m.qrs_amplitude
                                   << " mV, T peak " << m.t_peak << " ms (" << m.t_amplitude << " mV, "
                                   << m.polarity_name() << "), T end " << m.t_end << " ms (repolarisation from "
                                   << first_rep << " to " << last_rep << " ms), QT " << m.qt << " ms, QTc Bazett " << m.qtc_bazett);
  BOOST_TEST(m.complete(), m.reason);
  double qrs_peak = 0; // signed largest deflection in the QRS
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i] >= m.qrs_onset && t[i] <= m.qrs_end && std::abs(phi[i] - m.baseline) > std::abs(qrs_peak))
      qrs_peak = phi[i] - m.baseline;
  BOOST_TEST(qrs_peak > 0.);
  BOOST_TEST(m.t_polarity == 1);
  BOOST_TEST(m.qrs_onset >= 5.);
  BOOST_TEST(m.qrs_onset < 10.);
  BOOST_TEST(std::abs(m.qrs_end - 25.) < 5.); // the front reaches the epicardium at 25 ms
  // the tangent T end lies inside the repolarisation window (the far field of the late
  // M region is weak: its two sides nearly cancel, so the T end precedes last_rep)
  BOOST_TEST(m.t_end > first_rep);
  BOOST_TEST(m.t_end < last_rep);
  BOOST_TEST(m.t_peak > first_rep - 20.);
}

BOOST_AUTO_TEST_CASE(ecg_analysis_synthetic)
{
  const double f = EcgOptions().qrs_fraction;
  for (double dt : {0.5, 1.0})
    for (double sign : {1., -1.})
      {
        Synthetic syn;
        syn.At *= sign;
        std::vector<double> t, y;
        sample(syn, dt, 600., t, y);
        const EcgMetrics m = analyse_ecg(t, y, 0., 800.);
        BOOST_TEST_MESSAGE("dt = " << dt << " T " << m.polarity_name() << ": QRS onset " << m.qrs_onset
                                   << " (exact " << syn.onset(f) << "), T end " << m.t_end << " (exact "
                                   << syn.t_end(f) << "), QT " << m.qt);
        BOOST_TEST(m.reason.empty(), m.reason);
        BOOST_TEST(std::abs(m.qrs_onset - syn.onset(f)) < 1.0);
        BOOST_TEST(std::abs(m.t_end - syn.t_end(f)) < 1.0);
        BOOST_TEST(std::abs(m.t_peak - syn.tt) < dt + 1e-9);
        BOOST_TEST(m.t_polarity == static_cast<int>(sign));
        BOOST_TEST(std::abs(m.baseline - syn(syn.onset(f))) < 0.01);
        BOOST_TEST(m.qrs_end > syn.tq + syn.sq);
        BOOST_TEST(m.qrs_end < syn.tq + 3 * syn.sq);
        BOOST_TEST(m.qt == m.t_end - m.qrs_onset);
        BOOST_TEST(m.qtc_bazett == m.qt / std::sqrt(0.8), boost::test_tools::tolerance(1e-12));
        BOOST_TEST(m.qtc_fridericia == m.qt / std::cbrt(0.8), boost::test_tools::tolerance(1e-12));
        BOOST_TEST(to_json(m).find("\"qt_ms\"") != std::string::npos);
      }
  // Stimulus later than 0 and a second beat: only [t_stim, t_end) is used.
  {
    Synthetic           syn;
    std::vector<double> t, y;
    sample(syn, 0.5, 600., t, y);
    const std::size_t n1 = t.size();
    for (std::size_t i = 0; i < n1; ++i) // append a shifted copy: beat 2 at 1000 ms
      {
        t.push_back(t[i] + 1000.);
        y.push_back(y[i]);
      }
    const EcgMetrics m2 = analyse_ecg(t, y, 1000., 1000.);
    BOOST_TEST(std::abs(m2.t_end - (1000. + syn.t_end(f))) < 1.0);
    const EcgMetrics m1 = analyse_ecg(t, y, 0., 1000., 1000.);
    BOOST_TEST(std::abs(m1.t_end - syn.t_end(f)) < 1.0);
  }
  // A raised ST segment larger than the T wave (ICaL block in a transmural strand): the
  // T wave is the last wave, not the largest deflection after the QRS.
  {
    Synthetic           syn;
    std::vector<double> t, y;
    sample(syn, 0.5, 600., t, y);
    for (std::size_t i = 0; i < t.size(); ++i) // slow hump: max slope 0.017 < 0.1 * QRS slope
      y[i] += 1.0 * std::exp(-0.5 * std::pow((t[i] - 150.) / 35., 2));
    const EcgMetrics m = analyse_ecg(t, y, 0., 1000.);
    BOOST_TEST_MESSAGE("raised ST: T peak " << m.t_peak << ", T end " << m.t_end << " (exact " << syn.t_end(f) << ")");
    BOOST_TEST(std::abs(m.t_peak - syn.tt) < 1.0);
    BOOST_TEST(std::abs(m.t_end - syn.t_end(f)) < 1.0);
    BOOST_TEST(m.t_polarity == 1);
  }
  // No T wave; truncated beat.
  {
    Synthetic syn;
    syn.At = 0.;
    std::vector<double> t, y;
    sample(syn, 0.5, 600., t, y);
    const EcgMetrics m = analyse_ecg(t, y, 0.);
    BOOST_TEST(std::isnan(m.t_end));
    BOOST_TEST(std::isnan(m.qt));
    BOOST_TEST(m.t_polarity == 0);
    BOOST_TEST(!m.reason.empty());
    BOOST_TEST(std::isfinite(m.qrs_onset));
  }
  {
    Synthetic           syn;
    std::vector<double> t, y;
    sample(syn, 0.5, 290., t, y); // T wave still rising at the end
    const EcgMetrics m = analyse_ecg(t, y, 0.);
    BOOST_TEST(std::isnan(m.t_end));
    BOOST_TEST(!m.complete());
  }
}

namespace
{
  std::function<bool(const std::invalid_argument &)>
  says(const std::string &what)
  {
    return [what](const std::invalid_argument &e) { return std::string(e.what()).find(what) != std::string::npos; };
  }
} // namespace

BOOST_AUTO_TEST_CASE(bad_inputs)
{
  HexSetup s(2);
  const auto construct = [&s](const std::vector<Electrode> &el, double sigma_b) {
    PseudoEcg e(s.dof, s.mapping, s.quad, el, sigma_unit, sigma_b);
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  BOOST_CHECK_EXCEPTION(construct({}, 1.0), std::invalid_argument, says("electrode list is empty"));
  const std::vector<Electrode> twice = {{"a", Point<3>(9, 9, 9)}, {"a", Point<3>(8, 9, 9)}};
  BOOST_CHECK_EXCEPTION(construct(twice, 1.0), std::invalid_argument, says("used twice"));
  const std::vector<Electrode> one = {{"a", Point<3>(9, 9, 9)}};
  BOOST_CHECK_EXCEPTION(construct(one, 0.0), std::invalid_argument, says("sigma_b"));
  const std::vector<Electrode> not_finite = {{"a", Point<3>(nan, 9, 9)}};
  BOOST_CHECK_EXCEPTION(construct(not_finite, 1.0), std::invalid_argument, says("non-finite position"));
  const std::vector<Electrode> el = {{"a", Point<3>(9, 9, 9)}, {"b", Point<3>(-9, 9, 9)}};
  BOOST_CHECK_EXCEPTION(PseudoEcg::lead_difference(el, "a", "c"), std::invalid_argument,
                        says("no electrode named \"c\"; known: a, b"));

  // A vector distributed over another DoFHandler.
  HexSetup  other(4);
  PseudoEcg ecg(s.dof, s.mapping, s.quad, el, sigma_unit, 1.0);
  BOOST_CHECK_EXCEPTION(ecg.compute(other.interpolate(LinearVm(g_test, 0.))), std::invalid_argument,
                        says("not distributed like"));

  Synthetic           syn;
  std::vector<double> t, y;
  sample(syn, 0.5, 600., t, y);
  std::vector<double> y_nan = y;
  y_nan[300]                = std::numeric_limits<double>::quiet_NaN();
  BOOST_CHECK_EXCEPTION(analyse_ecg(t, y_nan, 0.), std::invalid_argument, says("sample 300 is not finite"));
  std::vector<double> y_short(y.begin(), y.end() - 1);
  BOOST_CHECK_EXCEPTION(analyse_ecg(t, y_short, 0.), std::invalid_argument, says("different lengths"));
  std::vector<double> t_bad = t;
  t_bad[10]                 = t_bad[9];
  BOOST_CHECK_EXCEPTION(analyse_ecg(t_bad, y, 0.), std::invalid_argument, says("strictly increasing"));
  BOOST_CHECK_EXCEPTION(analyse_ecg(t, y, 0., -1.), std::invalid_argument, says("RR must be positive"));
  BOOST_CHECK_EXCEPTION(analyse_ecg(t, y, 700.), std::invalid_argument, says("fewer than 5 samples"));
  BOOST_CHECK_EXCEPTION(qtc_bazett(300., 0.), std::invalid_argument, says("RR must be positive"));
}

BOOST_AUTO_TEST_SUITE_END()
