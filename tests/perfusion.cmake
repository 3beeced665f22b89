# Darcy perfusion and drug transport (solvers/perfusion). Included by tests/CMakeLists.txt.
# Bad-input decks: tests/bad_input/perf_*.prm (registered by the generic loop).

# Verification: manufactured solution, observed order of h = dt refinement >= 1.8 (expected 2).
organtwin_add_script_test(validation/perfusion_mms validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/perfusion_mms/convergence.py --out . --levels 3)

# Extraction ratio vs parallel-tube (plug flow), dispersion (D_N = 0.17) and well-stirred
# (D_N = 100) models at R_N = 1 (the full R_N sweep: compare.py without --quick).
organtwin_add_script_test(validation/perfusion_extraction validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/perfusion_extraction/compare.py --out . --quick)

# 1 vs 2 ranks on a tetrahedral box with Michaelis-Menten kinetics and a table inlet; stored reference.
organtwin_add_script_test(mpi/perfusion "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/perfusion/check_perfusion_mpi.py)
set_tests_properties(mpi/perfusion PROPERTIES PROCESSORS 2)

# End to end: PBPK run (cases/pk_dofetilide) -> liver perfusion inlet (cases/liver_perfusion, 20 s).
organtwin_add_script_test(mpi/perfusion_liver_pbpk "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/perfusion/check_liver_pbpk.py)
set_tests_properties(mpi/perfusion_liver_pbpk PROPERTIES PROCESSORS 2)

# Real anatomy: the shared TotalSegmentator liver surface (read in place from OT_SHARED) meshed
# with h = 8 mm, porta-hepatis/IVC sphere patches; well-mixed E vs well-stirred within 2 %,
# 1 vs 2 ranks, bounded transient with reversed patch fluxes (tests/regression/perfusion/check_anatomical.py).
organtwin_add_script_test(mpi/perfusion_anatomical "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/perfusion/check_anatomical.py)
set_tests_properties(mpi/perfusion_anatomical PROPERTIES PROCESSORS 2)

# Two-compartment (arterial/venous) Darcy, Problem type perfusion_2c: orders against the 1D
# closed form (both patches on one face), 1 vs 2 ranks, the real kidney with arterial inlet and
# venous outlet both at the hilum (tests/regression/perfusion/check_two_compartment.py).
organtwin_add_script_test(mpi/perfusion_two_compartment "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/perfusion/check_two_compartment.py)
set_tests_properties(mpi/perfusion_two_compartment PROPERTIES PROCESSORS 2)
