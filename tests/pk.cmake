# Whole-body PBPK (organtwin pk). Included by tests/CMakeLists.txt.

# Bad input for the pk command: tests/bad_input/pk_<case>.pkargs (arguments, one per line)
# with pk_<case>.expected; exit code 1, the message, and no result folder.
file(GLOB OT_PK_BAD CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/bad_input/pk_*.pkargs)
foreach(_args ${OT_PK_BAD})
  get_filename_component(_name ${_args} NAME_WE)
  add_test(NAME bad_input/${_name}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/bad_input/pk_check.sh ${OT_BIN} ${_args}
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(bad_input/${_name} PROPERTIES LABELS "regression;bad_input" TIMEOUT 120)
endforeach()

# Regression: one-line runs (IV bolus, infusion, oral multiple dosing, population) compared
# with stored metrics; file layout and mass balance checked.
organtwin_add_script_test(regression/pk/one_line regression
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/regression/pk/check_pk.py)

# Validation: predicted vs observed Vss (asserts input consistency, predictions = reference within
# 0.1 %, >= 8 of 16 drugs within 2-fold) and PK parameters of 15 drugs, split in two tests to stay
# short (each asserts its predictions = validation/pbpk_summary/reference_pk.csv within 0.5 % and
# GMFE <= 2 over its independent values; the pooled GMFE is then <= 2 as well).
organtwin_add_script_test(validation/pbpk_vss validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/pbpk_vss/compare.py --out .)
organtwin_add_script_test(validation/pbpk_drugs validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/pbpk_summary/compare.py --drugs original --out .)
organtwin_add_script_test(validation/pbpk_drugs_added validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/pbpk_summary/compare.py --drugs added --out .)
