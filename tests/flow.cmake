# Navier-Stokes: verification (Kovasznay orders), DFG 2D-1 coarse with 1 vs 2 ranks, Womersley
# coarse, iterative block solver. (included by tests/CMakeLists.txt)
organtwin_add_script_test(regression/flow/kovasznay_orders regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/flow_mms/convergence.py --levels 2 3 4 --check --out .)

organtwin_add_script_test(mpi/flow_dfg2d1_coarse "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_dfg2d1_mpi.py)
set_tests_properties(mpi/flow_dfg2d1_coarse PROPERTIES PROCESSORS 2)

# Womersley pipe flow (alpha = 4.1, reversing flow), level 1, dt = T/20, one cycle from the
# exact state: mid-section profile error < 2 % of max |u| and wall TAWSS within 3 % of exact.
organtwin_add_script_test(regression/flow/womersley_coarse regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/womersley/run.py --levels 1 --dt 50 --check --out .)

# Outlets, backflow, rheology and the iterative solver in a flow (tests/regression/flow/*.py,
# channel.prm; each < 30 s): resistance outlet p = P0 + R Q and the Poiseuille drop to 1e-8;
# RCR capacitor pressure vs the closed-form response to the computed flow (first order, with
# Richardson check); backflow: reversed flow through an outlet (momentum-flux balance, Newton
# iterations, reversing DFG run stays bounded); Carreau-Yasuda dp/dx vs a 1D channel solution
# and the zero-shear limit; FGMRES + block preconditioner = direct solve on 1 and 2 ranks.
organtwin_add_script_test(regression/flow/resistance_outlet regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_resistance_outlet.py)
organtwin_add_script_test(regression/flow/rcr_outlet regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_rcr_outlet.py)
organtwin_add_script_test(regression/flow/backflow regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_backflow.py)
organtwin_add_script_test(regression/flow/carreau_yasuda regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_carreau_yasuda.py)
organtwin_add_script_test(mpi/flow_fgmres "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_fgmres.py)
set_tests_properties(mpi/flow_fgmres PROPERTIES PROCESSORS 2)

# Stabilised equal-order Q1-Q1 (SUPG/PSPG/LSIC): Kovasznay orders on levels 3 4 5 (velocity L2
# >= 1.8, H1 >= 0.9, pressure L2 >= 1.0; measured 1.90 / 1.01 / 1.89) and DFG 2D-1 level 1 on
# 1 and 2 ranks (cD, cL, dp to 1e-8, cD within 3 %).
organtwin_add_script_test(regression/flow/kovasznay_equal_order regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/flow_mms/convergence.py --levels 3 4 5 --equal-order --check --out .)
organtwin_add_script_test(mpi/flow_equal_order_dfg2d1 "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_equal_order_mpi.py)
set_tests_properties(mpi/flow_equal_order_dfg2d1 PROPERTIES PROCESSORS 2)

# Jacobian reuse (chord variants) = full Newton on the DFG 2D-2 deck, level 0, 12 steps; lagged
# on 1 and 2 ranks; factorisation counts per policy (tests/regression/flow/check_jacobian_update.py).
organtwin_add_script_test(mpi/flow_jacobian_update "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_jacobian_update.py)
set_tests_properties(mpi/flow_jacobian_update PROPERTIES PROCESSORS 2)

# Time/Refine at: global refinement with transfer of u^n, u^(n-1) (level 0 -> 1 at t = 0.06 on
# 2 ranks) against runs at level 0 and level 1 throughout (check_refine_transfer.py).
organtwin_add_script_test(mpi/flow_refine_transfer "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_refine_transfer.py)
set_tests_properties(mpi/flow_refine_transfer PROPERTIES PROCESSORS 2)
# The same with Time/Scheme = BDF3 (u^(n-2) transferred too) and CN (backward Euler step after it).
foreach(_scheme BDF3 CN)
  string(TOLOWER ${_scheme} _s)
  organtwin_add_script_test(mpi/flow_refine_transfer_${_s} "regression;mpi"
    /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_refine_transfer.py --scheme ${_scheme})
  set_tests_properties(mpi/flow_refine_transfer_${_s} PROPERTIES PROCESSORS 2)
endforeach()

# flow on a mesh prepared by `organtwin mesh` (.otmesh, tags from the file): straight vessel,
# steady P2-P1, mass balance and Poiseuille wall shear stress within 2 % (~35 s)
organtwin_add_script_test(regression/flow/prepared_vessel regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_prepared_vessel.py)

# Variable-step BDF2 with local error control (Time/Adaptive) on Womersley pipe flow, level 0,
# pulse waveform: error vs a fixed-step reference falls as N^-p (p in [1.5, 3]), estimates within
# the tolerance, a fixed step with as many steps has >= 2x the error, and 2 ranks take the same
# steps with the same dp (tests/regression/flow/check_adaptive_bdf2.py).
organtwin_add_script_test(mpi/flow_adaptive_bdf2 "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_adaptive_bdf2.py)
set_tests_properties(mpi/flow_adaptive_bdf2 PROPERTIES PROCESSORS 2)

# Steady globalisation (Solver/Line search, Picard iterations, Continuation steps) on the DFG 2D-1
# channel at Re = 100, level 1: plain Newton fails in 20 iterations, backtracking Newton converges
# (<= 15, Armijo, monotone |r|), the same cD/cL/dp from continuation + undamped Newton and from
# Picard -> Newton, 2 ranks take the same steps; at Re = 20 the line search = plain Newton.
organtwin_add_script_test(mpi/flow_steady_globalisation "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_steady_globalisation.py)
set_tests_properties(mpi/flow_steady_globalisation PROPERTIES PROCESSORS 2)

# Time/Scheme = BDF3 and CN on the DFG deck at level 0 with nu = 0.01 over the inflow ramp (smooth,
# nonlinear): time error vs a BDF3 dt = 0.005 run; BDF3 order in cD and dp in [2.6, 3.4], CN order
# in [1.8, 2.2], BDF3 error <= BDF2 error / 4 at the same step, 2 ranks = 1 rank to 1e-8
# (tests/regression/flow/check_time_schemes.py).
organtwin_add_script_test(mpi/flow_time_schemes "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/flow/check_time_schemes.py)
set_tests_properties(mpi/flow_time_schemes PROPERTIES PROCESSORS 2)
