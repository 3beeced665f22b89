# validation/ttp06_single_cell: TTP06 epi/endo/M at 1 Hz, published V_rest/APD90 and
# Rush-Larsen vs CVODE (quick mode: 20 beats, ~25 s; the full 300-beat run is
# validation/ttp06_single_cell/check.py without --quick). Skips (77) without TTP06.
organtwin_add_script_test(validation/ttp06_single_cell validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/ttp06_single_cell/check.py --quick)
set_tests_properties(validation/ttp06_single_cell PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
