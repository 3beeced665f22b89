#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <physics/pk/pbpk_source.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>
#include <solvers/common/units.h>
#include <solvers/common/version.h>
#include <solvers/ep/cell_pacing.h>
#include <solvers/ep/tissue_cells.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

namespace organtwin::ep
{
  namespace
  {
    std::string
    num(double v, int precision = 10)
    {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
      return buf;
    }
  } // namespace

  void
  TissueCells::declare_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii::Patterns;
    prm.enter_subsection("Cell layers");
    prm.declare_entry("Layers", "none", Selection("none|transmural"),
                      "none: one cell model everywhere; transmural: endo, M and epi layers along the Tissue "
                      "section's Transmural direction between the two values of its Wall extent (the ionic "
                      "model must have a Cell type entry: ORd, CiPAORdv1, ToRORd, TTP06)");
    prm.declare_entry("Endo fraction", "0.3", Double(0., 1.), "[-] transmural: wall fraction of endocardial cells");
    prm.declare_entry("M fraction", "0.3", Double(0., 1.),
                      "[-] transmural: wall fraction of mid-myocardial cells (the rest is epicardial)");
    prm.leave_subsection();

    prm.enter_subsection("Drug");
    prm.declare_entry("Drug file", "", Anything(),
                      "drug library (.csv/.json, physics/drugs/drug.h); empty: no drug. Relative to the working "
                      "directory");
    prm.declare_entry("Drug", "", Anything(), "name of the drug in the file");
    prm.declare_entry("Concentration source", "constant", Selection("constant|table|pk results"),
                      "constant: Concentration or Cmax multiple; table: CSV time_h + <organ>_unbound_uM or "
                      "conc_uM; pk results: the folder (or concentrations.csv) of an `organtwin pk` run");
    prm.declare_entry("Concentration", "0", Double(0.), "[nM] constant free concentration");
    prm.declare_entry("Cmax multiple", "0", Double(0.),
                      "[x free Cmax] constant concentration as a multiple of the drug's cmax_free_nM; > 0 "
                      "overrides Concentration");
    prm.declare_entry("Table file", "", Anything(), "table source: CSV file");
    prm.declare_entry("PK results", "", Anything(), "pk results source: folder or concentrations.csv");
    prm.declare_entry("Organ", "heart", Anything(), "organ whose unbound concentration is used (table/pk results)");
    prm.declare_entry("PK time at start", "0", Double(0.), "[h] PK time at t = 0 of this run (table/pk results)");
    prm.declare_entry("Update interval", "1000", Double(1e-6),
                      "[ms] how often the concentration is re-evaluated during the run (table/pk results)");
    prm.leave_subsection();

    prm.enter_subsection("Pre-pacing");
    prm.declare_entry("Beats", "0", Integer(0),
                      "[beats] pace each layer's cell alone at the starting concentration before the tissue run "
                      "(0: start from the model's stored initial state)");
    prm.declare_entry("Cycle length", "1000", Double(1.), "[ms] pre-pacing cycle length");
    prm.declare_entry("Steady state", "converged", Selection("converged|fixed"),
                      "converged: stop early once qNet changes < 0.1 % over 50 beats (after 100 beats); fixed: "
                      "all Beats");
    prm.declare_entry("Cache directory", ".organtwin_cache", Anything(),
                      "pre-paced states are stored here, keyed by model, cell type, drug, concentration, "
                      "protocol and code version; empty: no cache");
    prm.leave_subsection();
  }

  TissueCells::TissueCells(std::unique_ptr<ionic::IonicModel> prototype, dealii::ParameterHandler &prm,
                           const std::string &deck_file)
    : deck(deck_file)
  {
    prm.enter_subsection("Cell layers");
    transmural = prm.get("Layers") == "transmural";
    f_endo     = prm.get_double("Endo fraction");
    f_M        = prm.get_double("M fraction");
    prm.leave_subsection();
    input_check(f_endo + f_M <= 1., deck + ": [Cell layers/Endo fraction + M fraction]", "must be <= 1");
    if (!transmural)
      {
        models.push_back(std::move(prototype));
        layer_names.push_back("all");
      }
    else
      {
        prm.enter_subsection("Tissue");
        const auto n = parse_triple(prm.get("Transmural direction"), deck + ": [Tissue/Transmural direction]");
        const auto w = dealii::Utilities::split_string_list(prm.get("Wall extent"));
        prm.leave_subsection();
        normal = dealii::Tensor<1, 3>({n[0], n[1], n[2]});
        input_check(normal.norm() > 0., deck + ": [Tissue/Transmural direction]", "must not be zero");
        normal /= normal.norm();
        wall_begin = std::stod(w[0]);
        wall_end   = std::stod(w[1]);
        input_check(wall_end != wall_begin, deck + ": [Tissue/Wall extent]", "the two values must differ");
        prm.enter_subsection("Ionic model");
        const std::string name = prm.get("Model");
        prm.enter_subsection(name);
        std::string original;
        try
          {
            original = prm.get("Cell type");
          }
        catch (...)
          {
            throw InputError(deck + ": [Cell layers/Layers] = transmural needs an ionic model with a Cell type "
                                    "entry; " + name + " has none");
          }
        prm.leave_subsection();
        prm.leave_subsection();
        for (const char *ct : {"endo", "M", "epi"})
          {
            prm.enter_subsection("Ionic model");
            prm.enter_subsection(name);
            prm.set("Cell type", std::string(ct));
            prm.leave_subsection();
            prm.leave_subsection();
            models.push_back(ionic::create_ionic_model(prm));
            layer_names.push_back(ct);
          }
        prm.enter_subsection("Ionic model");
        prm.enter_subsection(name);
        prm.set("Cell type", original);
        prm.leave_subsection();
        prm.leave_subsection();
      }

    prm.enter_subsection("Drug");
    const std::string file = prm.get("Drug file");
    const std::string name = prm.get("Drug");
    source_kind            = prm.get("Concentration source");
    constant_nM            = prm.get_double("Concentration");
    const double mult      = prm.get_double("Cmax multiple");
    const std::string tab  = prm.get("Table file");
    const std::string pkr  = prm.get("PK results");
    organ                  = prm.get("Organ");
    pk_t0_h                = prm.get_double("PK time at start");
    update_interval        = prm.get_double("Update interval");
    prm.leave_subsection();
    if (!file.empty())
      {
        input_check(!name.empty(), deck + ": [Drug/Drug]", "is empty; name the drug of " + file);
        const auto lib = drugs::DrugLibrary::read(file);
        drug           = lib.get(name);
        if (source_kind == "constant" && mult > 0.)
          {
            input_check(drug->cmax_free_nM > 0., deck + ": [Drug/Cmax multiple]",
                        "drug " + name + " has no cmax_free_nM in " + file);
            constant_nM = mult * drug->cmax_free_nM;
          }
        if (source_kind == "table")
          {
            input_check(!tab.empty(), deck + ": [Drug/Table file]", "is required with Concentration source = table");
            source = drugs::make_table_source(tab);
          }
        else if (source_kind == "pk results")
          {
            input_check(!pkr.empty(), deck + ": [Drug/PK results]",
                        "is required with Concentration source = pk results");
            source = pk::make_pbpk_results_source(pkr);
          }
        else
          source = drugs::make_constant_source(units::nM_to_uM(constant_nM));
        // the organ must be known to the source
        (void)source->unbound_uM(organ, pk_t0_h);
      }

    prm.enter_subsection("Pre-pacing");
    beats        = prm.get_integer("Beats");
    cycle_length = prm.get_double("Cycle length");
    converge     = prm.get("Steady state") == "converged";
    cache_dir    = prm.get("Cache directory");
    prm.leave_subsection();
  }

  std::string
  TissueCells::drug_description() const
  {
    if (!drug)
      return "none";
    return drug->name + " from " + source->description() + (source_kind == "constant" ? "" : ", organ " + organ);
  }

  double
  TissueCells::concentration_at(double t_ms) const
  {
    if (!drug)
      return 0.;
    return units::uM_to_nM(source->unbound_uM(organ, pk_t0_h + units::ms_to_h(t_ms)));
  }

  bool
  TissueCells::update_drug(double t_ms, dealii::ConditionalOStream &out)
  {
    if (!drug || (t_ms - last_update < update_interval - 1e-9 && last_update > -1e299))
      return false;
    last_update   = t_ms;
    const double c = concentration_at(t_ms);
    if (c == conc_nM && t_ms > 0.)
      return false;
    conc_nM = c;
    for (auto &m : models)
      drugs::apply_drug(*m, *drug, conc_nM);
    out << "[drug] t = " << num(t_ms, 6) << " ms: " << drug->name << " " << num(conc_nM, 5) << " nM (free, "
        << organ << ")\n";
    return true;
  }

  std::vector<double>
  TissueCells::prepaced_state(unsigned int l, MPI_Comm comm, dealii::ConditionalOStream &out)
  {
    const auto &m = *models[l];
    std::vector<double> y(m.n_states());
    m.initial_state(y.data());
    if (beats == 0)
      return y;
    std::ostringstream key;
    key << m.name() << "|" << layer_names[l] << "|" << (drug ? drug->name : "none") << "|" << num(conc_nM, 12) << "|"
        << num(cycle_length) << "|" << beats << "|" << (converge ? "conv" : "fixed") << "|" << git_hash();
    const std::string hash = std::to_string(std::hash<std::string>{}(key.str()));
    const std::string file = cache_dir.empty() ? "" : cache_dir + "/prepaced_" + hash + ".txt";
    int found = 0;
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      {
        if (!file.empty())
          {
            std::ifstream in(file);
            std::string   k;
            if (in && std::getline(in, k) && k == key.str())
              {
                for (double &v : y)
                  in >> v;
                found = in ? 1 : 0;
              }
            if (!found)
              m.initial_state(y.data());
          }
        if (found)
          out << "[pre-pacing] " << layer_names[l] << ": cached state " << file << "\n";
        else
          {
            PacingOptions o;
            o.cycle_length = cycle_length;
            CellPacer p(m, o);
            double    q_prev = NAN;
            unsigned  b      = 0;
            for (; b < beats; ++b)
              {
                const bool check = converge && b + 1 >= 100 && (b + 1) % 50 == 0;
                const auto r     = p.pace_beat(check);
                if (check)
                  {
                    if (std::isfinite(q_prev) && std::abs(r.qnet - q_prev) <= 1e-3 * std::abs(r.qnet))
                      {
                        ++b;
                        break;
                      }
                    q_prev = r.qnet;
                  }
              }
            y = p.state();
            out << "[pre-pacing] " << layer_names[l] << ": " << b << " beats at " << num(cycle_length, 5)
                << " ms, drug " << num(conc_nM, 5) << " nM\n";
            if (!file.empty())
              {
                std::filesystem::create_directories(cache_dir);
                std::ostringstream s;
                s << key.str() << "\n";
                s.precision(17);
                for (double v : y)
                  s << v << "\n";
                write_file_atomic(file, s.str());
              }
          }
      }
    return dealii::Utilities::MPI::broadcast(comm, y, 0);
  }

  void
  TissueCells::setup(const std::vector<dealii::Point<3>> &points, MPI_Comm comm, dealii::ConditionalOStream &out)
  {
    const std::size_t n = points.size();
    layer.assign(n, 0);
    if (transmural)
      {
        // The layers are defined by the wall extent along the transmural direction: a mesh
        // that reaches beyond it has nodes whose layer is undefined (e.g. a deck written for
        // another geometry). Checked on all ranks together, so every rank throws alike.
        double lo = std::numeric_limits<double>::max(), hi = -std::numeric_limits<double>::max();
        for (std::size_t i = 0; i < n; ++i)
          {
            const double d = points[i] * normal;
            lo             = std::min(lo, d);
            hi             = std::max(hi, d);
          }
        lo                = dealii::Utilities::MPI::min(lo, comm);
        hi                = dealii::Utilities::MPI::max(hi, comm);
        const double w0   = std::min(wall_begin, wall_end), w1 = std::max(wall_begin, wall_end);
        const double tol  = 1e-6 * (w1 - w0);
        input_check(lo >= w0 - tol && hi <= w1 + tol, deck + ": [Tissue/Wall extent] = " + std::to_string(wall_begin) +
                      "," + std::to_string(wall_end),
                    "the mesh spans " + std::to_string(lo) + " ... " + std::to_string(hi) +
                      " mm along [Tissue/Transmural direction]; [Cell layers/Layers] = transmural needs the whole "
                      "mesh inside the wall extent (endo at the first value, epi at the second)");
        for (std::size_t i = 0; i < n; ++i)
          {
            const double e = (points[i] * normal - wall_begin) / (wall_end - wall_begin);
            layer[i]       = e < f_endo ? 0 : e < f_endo + f_M ? 1 : 2;
          }
      }
    dofs_of.assign(models.size(), {});
    for (std::size_t i = 0; i < n; ++i)
      dofs_of[layer[i]].push_back(i);
    update_drug(0., out);
    states.resize(models.size());
    I_buf.resize(models.size());
    for (unsigned int l = 0; l < models.size(); ++l)
      {
        const auto &m = *models[l];
        states[l].reinit(m, dofs_of[l].size());
        I_buf[l].assign(dofs_of[l].size(), 0.);
        if (m.has_spatial_initial_state())
          {
            std::vector<double> y(m.n_states());
            for (std::size_t k = 0; k < dofs_of[l].size(); ++k)
              {
                const auto  &p    = points[dofs_of[l][k]];
                const double x[3] = {p[0], p[1], p[2]};
                m.initial_state_at(x, y.data());
                states[l].set(k, y.data());
              }
          }
        else
          {
            const auto y = prepaced_state(l, comm, out);
            for (std::size_t k = 0; k < dofs_of[l].size(); ++k)
              states[l].set(k, y.data());
          }
      }
  }

  std::size_t
  TissueCells::step(ionic::OdeScheme scheme, double h, const double *I_app)
  {
    std::size_t bad = 0;
    for (unsigned int l = 0; l < models.size(); ++l)
      {
        if (I_app)
          for (std::size_t k = 0; k < dofs_of[l].size(); ++k)
            I_buf[l][k] = I_app[dofs_of[l][k]];
        bad += ionic::step_all(*models[l], scheme, h, I_app ? I_buf[l].data() : nullptr, states[l]);
      }
    return bad;
  }

  void
  TissueCells::get_V(double *v) const
  {
    for (unsigned int l = 0; l < models.size(); ++l)
      {
        const double *s = states[l].state(0);
        for (std::size_t k = 0; k < dofs_of[l].size(); ++k)
          v[dofs_of[l][k]] = s[k];
      }
  }

  void
  TissueCells::set_V(const double *v)
  {
    for (unsigned int l = 0; l < models.size(); ++l)
      {
        double *s = states[l].state(0);
        for (std::size_t k = 0; k < dofs_of[l].size(); ++k)
          s[k] = v[dofs_of[l][k]];
      }
  }
} // namespace organtwin::ep
