#pragma once
// A drug for the PBPK model, read from a compound JSON file with exactly these keys
// (so that other tools can write it; unknown keys are errors):
//
//   {
//     "name": "dofetilide",
//     "molecular_weight_g_per_mol": 441.6,
//     "logP": 2.1,                               // n-octanol:water, neutral species
//     "fraction_unbound_plasma": 0.36,           // (0, 1]
//     "blood_to_plasma_ratio": 1.0,              // optional; predicted if absent
//     "pKa": [{"value": 9.0, "type": "base"}],   // optional; [] or absent = neutral
//     "clearance": {                             // optional; all entries optional, >= 0
//       "hepatic_plasma_L_per_h": 10,            // observed hepatic plasma clearance
//       "hepatic_intrinsic_L_per_h": 50,         // unbound intrinsic clearance (well-stirred)
//       "renal_plasma_L_per_h": 5,               // renal plasma clearance (secretion etc.)
//       "renal_filtration": true                 // adds fu * GFR
//     },
//     "absorption": {                            // optional; needed for oral dosing
//       "ka_per_h": 1.0, "fraction_absorbed": 1.0, "fraction_escaping_gut": 1.0
//     }
//   }

#include <string>
#include <vector>

namespace organtwin::pk
{
  struct Pka
  {
    double value = 0.;
    bool   base  = false; ///< false: acid
  };

  struct Compound
  {
    std::string      file; ///< origin, for messages
    std::string      name;
    double           mw_g_per_mol = 0.;
    double           logP         = 0.;
    double           fu           = 1.;
    double           bp           = -1.; ///< < 0: not given (predicted)
    std::vector<Pka> pka;
    double           cl_hepatic_plasma_L_per_h    = 0.;
    double           cl_hepatic_intrinsic_L_per_h = 0.;
    double           cl_renal_plasma_L_per_h      = 0.;
    bool             renal_filtration             = false;
    bool             has_absorption               = false;
    double           ka_per_h                     = 0.;
    double           fraction_absorbed            = 1.;
    double           fraction_escaping_gut        = 1.;

    bool has_bp() const { return bp > 0.; }
    /// "file: key" for messages.
    std::string where(const std::string &key) const { return file + ": \"" + key + "\""; }
  };

  /// Read and check a compound file. InputError names the file and the key.
  Compound read_compound(const std::string &filename);
  /// Same from JSON text (origin used in messages).
  Compound parse_compound(const std::string &json_text, const std::string &origin);
} // namespace organtwin::pk
