# Monodomain: verification, MPI regression. (included by tests/CMakeLists.txt)
organtwin_add_script_test(mpi/niederer_dx05 "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/ep/check_niederer_mpi.py)
set_tests_properties(mpi/niederer_dx05 PROPERTIES PROCESSORS 2)

organtwin_add_script_test(validation/manufactured_convergence validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/manufactured/convergence.py --out .)

organtwin_add_script_test(regression/ep/apd90_slab regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/ep/check_apd90_slab.py)

organtwin_add_script_test(mpi/file_mesh_tets "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/ep/check_file_mesh.py)
set_tests_properties(mpi/file_mesh_tets PROPERTIES PROCESSORS 2)

organtwin_add_script_test(regression/ep/fibre_rotation regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/ep/check_fibre_rotation.py)

organtwin_add_script_test(mpi/boundary_stimulus "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/ep/check_boundary_stimulus.py)
set_tests_properties(mpi/boundary_stimulus PROPERTIES PROCESSORS 2)

organtwin_add_script_test(regression/ep/json_deck regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/ep/check_json_deck.py)

organtwin_add_script_test(mpi/wedge_drug "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/ep/check_wedge_drug.py)
set_tests_properties(mpi/wedge_drug PROPERTIES PROCESSORS 2)

organtwin_add_script_test(mpi/lv_activation_mesh_fibres "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/ep/check_lv_activation.py)
set_tests_properties(mpi/lv_activation_mesh_fibres PROPERTIES PROCESSORS 2)
