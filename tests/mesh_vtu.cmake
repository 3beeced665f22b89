# VTU/VTK volume meshes (issue 6): the Land LV with LDRB fibres exported as one mesh.vtu by
# `organtwin mesh`, read back on 1 and 2 ranks (volume, tag areas, helix angles), and the
# monodomain solver with [Tissue] Fibre field = mesh on it (1 vs 2 ranks, vs LDRB in the solver).
# Small hand-written files and all encodings: tests/unit/test_volume_mesh.cc; bad input:
# tests/bad_input/mesh_vtu_*.
organtwin_add_script_test(mpi/mesh_vtu_roundtrip "regression;mpi"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_vtu.py)
set_tests_properties(mpi/mesh_vtu_roundtrip PROPERTIES PROCESSORS 2)

# A .otmesh prepared from a mesh file with fibres and no sheets records that its sheets are
# arbitrary: Holzapfel-Ogden and orthotropic monodomain conductivities are refused on it,
# Guccione runs; mesh.vtu carries no sheet array (tests/regression/mesh/check_prepared_sheets.py).
organtwin_add_script_test(bad_input/prepared_mesh_without_sheets "bad_input;regression"
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/mesh/check_prepared_sheets.py)
