# End-to-end cardiotox case (shortened). (included by tests/CMakeLists.txt)
organtwin_add_script_test(mpi/cardiotox "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/cardiotox/check_cardiotox.py)
set_tests_properties(mpi/cardiotox PROPERTIES PROCESSORS 2)
organtwin_add_script_test(regression/cardiotox_population "regression"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/cardiotox/check_population.py)
