#pragma once
// Explicit pointwise time integration of ionic models, for single cells and for
// the states at every DoF of a tissue mesh (structure-of-arrays storage).
//
// Schemes:
//  - ForwardEuler: y += dt f(y)                                   (order 1)
//  - RushLarsen:   gates exact for frozen V, others forward Euler  (order 1)
//  - RushLarsen2:  second-order (midpoint) Rush-Larsen (Sundnes et al. 2009, IEEE
//                  Trans Biomed Eng 56:2546, doi 10.1109/TBME.2009.2014739): half RL step to y*, then
//                  a full step with rates evaluated at y*           (order 2)
// I_app [uA/uF] is an applied (stimulus) current added to dV/dt; positive depolarises.

#include <physics/ionic/ionic_model.h>

#include <cstddef>
#include <string>
#include <vector>

namespace organtwin::ionic
{
  enum class OdeScheme
  {
    ForwardEuler,
    RushLarsen,
    RushLarsen2
  };

  /// "ForwardEuler|RushLarsen|RushLarsen2" for Patterns::Selection.
  std::string ode_scheme_selection();
  OdeScheme   ode_scheme_from_name(const std::string &name);
  /// Formal order of accuracy of the scheme.
  unsigned int ode_scheme_order(OdeScheme s);

  /// Scratch arrays for one cell, sized once.
  struct CellWorkspace
  {
    explicit CellWorkspace(unsigned int n = 0) { resize(n); }
    void resize(unsigned int n)
    {
      dydt.assign(n, 0.);
      yinf.assign(n, 0.);
      tau.assign(n, 1.);
      ystar.assign(n, 0.);
      y0.assign(n, 0.);
    }
    std::vector<double> dydt, yinf, tau, ystar, y0;
  };

  /// Advance the state y of one cell by dt [ms].
  void step_cell(const IonicModel &model, const std::vector<unsigned char> &is_gate, OdeScheme scheme, double dt,
                 double I_app, double *y, CellWorkspace &w);

  /// States of many cells, structure of arrays: state s of point i is data[s * n_points + i].
  class CellStates
  {
  public:
    void reinit(const IonicModel &model, std::size_t n_points);
    std::size_t size() const { return n_points; }
    unsigned int n_states() const { return n_st; }
    double *state(unsigned int s) { return data.data() + s * n_points; }
    const double *state(unsigned int s) const { return data.data() + s * n_points; }
    void get(std::size_t i, double *y) const;
    void set(std::size_t i, const double *y);

  private:
    std::size_t         n_points = 0;
    unsigned int        n_st     = 0;
    std::vector<double> data;
  };

  /// Advance every point by dt; I_app[i] per point, or nullptr for none.
  /// Returns the number of points whose new state is not finite (0 on success).
  std::size_t step_all(const IonicModel &model, OdeScheme scheme, double dt, const double *I_app,
                       CellStates &states);

  /// Gate flags of a model, in state order (1 = gate).
  std::vector<unsigned char> gate_flags(const IonicModel &model);
} // namespace organtwin::ionic
