# Finite-strain mechanics: MPI regression of Land 2015 P1 and the manufactured-solution
# orders (quick). (included by tests/CMakeLists.txt)
organtwin_add_script_test(mpi/mechanics_land_p1 "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mechanics/check_land_p1_mpi.py)
set_tests_properties(mpi/mechanics_land_p1 PROPERTIES PROCESSORS 2)

organtwin_add_script_test(validation/mechanics_mms validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/mechanics_mms/convergence.py --quick --out .)

organtwin_add_script_test(regression/mechanics/lv_beat regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mechanics/check_lv_beat.py)

# Q2-Q1 mixed u-p form on Land P1 (h = 1 mm): 1 vs 2 ranks and the tip inside [4.0, 4.2] mm
organtwin_add_script_test(mpi/mechanics_land_p1_mixed "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mechanics/check_land_p1_mpi.py --mixed)
set_tests_properties(mpi/mechanics_land_p1_mixed PROPERTIES PROCESSORS 2)

# one-way electromechanics: monodomain activation times drive the active tension (slab,
# paced left vs right; t_act read by the mechanics = EP output)
organtwin_add_script_test(regression/mechanics/ep_activation regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mechanics/check_ep_activation.py)

organtwin_add_script_test(validation/mechanics_mms_tet validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/mechanics_mms/convergence.py --quick --tets --out .)

# calcium-driven active tension (Land et al. 2017) with the stretch treated implicitly:
# one beat on the coarse LV, no oscillation of the tension, phases in order
organtwin_add_script_test(regression/mechanics/land2017_beat regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mechanics/check_lv_beat.py --land2017)

# fibres from the mesh ([Fibres] Field = mesh, LDRB on the Gmsh Land LV) vs the analytic Land
# 2015 rule on the same mesh (apex z and twist), and 1 vs 2 ranks
organtwin_add_script_test(mpi/mechanics_mesh_fibres "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mechanics/check_mesh_fibres.py)
set_tests_properties(mpi/mechanics_mesh_fibres PROPERTIES PROCESSORS 2)

# geometry check of the reference mapping (det J ratio per cell) on straight and curved P2
# Gmsh tetrahedra of the Land LV (summary.json mapping_det_j_ratio_min)
organtwin_add_script_test(regression/mechanics/mapping_quality regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mechanics/check_mapping_quality.py)

# barrier of the mixed form: the curved P2 Land LV (h 4 mm) collapses at the apex without it
# and reaches the full Problem 2 load with it
organtwin_add_script_test(regression/mechanics/mixed_barrier regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mechanics/check_mixed_barrier.py)
