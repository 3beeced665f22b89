# validation/tor_ord_single_cell: ToR-ORd endo/M/epi at 1 Hz from the stored steady state,
# released-model steady state (V_rest, diastolic Ca, Na, JSR), APD90 range and transmural order,
# Rush-Larsen vs CVODE (quick mode: 3 beats per scheme and cell type). The full run is
# validation/tor_ord_single_cell/check.py without --quick. Skips (77) without ToRORd.
organtwin_add_script_test(validation/tor_ord_single_cell validation
  /usr/bin/python3 ${CMAKE_SOURCE_DIR}/validation/tor_ord_single_cell/check.py --quick)
set_tests_properties(validation/tor_ord_single_cell PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
