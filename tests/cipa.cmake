# CiPA study: MPI agreement, outputs, classifier reuse. (included by tests/CMakeLists.txt)
organtwin_add_script_test(mpi/cipa_study "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/cipa/check_cipa_mpi.py)
set_tests_properties(mpi/cipa_study PROPERTIES PROCESSORS 2)
