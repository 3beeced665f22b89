# Finite-strain mechanics: MPI regression of Land 2015 P1 and the manufactured-solution
# orders (quick). (included by tests/CMakeLists.txt)
organtwin_add_script_test(mpi/mechanics_land_p1 "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mechanics/check_land_p1_mpi.py)
set_tests_properties(mpi/mechanics_land_p1 PROPERTIES PROCESSORS 2)

organtwin_add_script_test(validation/mechanics_mms validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/mechanics_mms/convergence.py --quick --out .)

organtwin_add_script_test(regression/mechanics/lv_beat regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mechanics/check_lv_beat.py)
