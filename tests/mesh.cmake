# Meshes: generators, surface import, prepared meshes, 1 vs 2 ranks. (included by tests/CMakeLists.txt)
organtwin_add_script_test(mpi/mesh_ranks "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_ranks.py)
set_tests_properties(mpi/mesh_ranks PROPERTIES PROCESSORS 2)

organtwin_add_script_test(regression/mesh/sphere_stl regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_surfaces.py sphere)

# every file of ../shared/meshes (README there): closed ones meshed, open ones refused
foreach(_key data_kidney_vtp kidney_left_stl kidney_right_vtp kidney_left_vtp kidney_right_stl liver_stl liver_vtp heart_geo1_vtp
        heart_geo2_labeled_vtp heart_geo2_base_ply heart_geo2_epi_ply heart_geo2_endo_lv_ply heart_geo2_endo_rv_ply)
  organtwin_add_script_test(regression/mesh/shared_${_key} regression
    /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_surfaces.py ${_key})
endforeach()

# generators other than the Land LV (which tests/unit/test_mesh.cc covers); kidney_like/liver_like
# at their default sizes took 204 s on the loaded machine: they run coarse, below
foreach(_gen fda_nozzle biv)
  organtwin_add_script_test(regression/mesh/generator_${_gen} regression
    /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_generators.py ${_gen})
endforeach()

# vessel with a stent: ring and helical struts tagged separately, volume and areas vs closed forms
foreach(_stent ring helical)
  organtwin_add_script_test(regression/mesh/stent_${_stent} regression
    /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_stent.py ${_stent})
endforeach()

# organ shapes at coarse sizes (2 s each on an idle machine; at the defaults, kidney 3 mm gave
# 781,106 tets in 129 s, far more than h^-3 scaling from 5 mm (9,660 tets) predicts: not investigated)
organtwin_add_script_test(regression/mesh/generator_kidney_like regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_generators.py kidney_like 5)
organtwin_add_script_test(regression/mesh/generator_liver_like regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_generators.py liver_like 12)

# monodomain on the anatomical bi-ventricle (../shared/meshes Cobiveco geo1): class tags, LDRB
# bi-ventricular fibres, propagation and 1 vs 2 ranks on a 6 mm mesh (cases/heart_activation/)
organtwin_add_script_test(mpi/heart_activation "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_heart_activation.py)
set_tests_properties(mpi/heart_activation PROPERTIES PROCESSORS 2)

# curved vessel: the straight stenosed, stented vessel bent onto an arc (Rc = 8 mm, 1 rad);
# volume vs the straight one, caps moved rigidly (area, normal, centroid), min scaled Jacobian
organtwin_add_script_test(regression/mesh/curved_vessel_ring regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_curved_vessel.py ring)
