// Included by ord.cc inside its anonymous namespace. State order: see ord.cc
// (common states, then xrf, xrs).
// PLACEHOLDER: published ORd initial values (O'Hara et al. 2011 code defaults),
// replaced by paced steady states below once computed.
constexpr double y0_ord_default[n_ord] = {
  -87.5, 7., 7., 145., 145., 1e-4, 1e-4, 1.2, 1.2, 0., 1., 1., 1., 1., 1., 0., 1., 1., 0., 1., 1., 0., 1., 1.,
  0., 1., 1., 1., 1., 1., 0., 1., 1., 0., 0., 1., 0., 0., 0., 0., 0.};
constexpr const double *y0_ord_endo = y0_ord_default;
constexpr const double *y0_ord_M    = y0_ord_default;
constexpr const double *y0_ord_epi  = y0_ord_default;
