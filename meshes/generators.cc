// Parametric shapes built with the Gmsh C++ API (OpenCASCADE kernel). Each generator
// declares its deck entries ([Mesh/<section>], lengths in mm) and names its surfaces.
#include <meshes/gmsh_bridge.h>
#include <meshes/shapes.h>
#include <solvers/common/parameters.h>

#include <gmsh.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace organtwin::meshes
{
  namespace
  {
    namespace occ = gmsh::model::occ;

    double
    get(const MeshParameters &p, const std::string &name)
    {
      return p.prm_shape.at(name);
    }

    void
    positive(const MeshParameters &p, const Generator &g, const std::string &name)
    {
      input_check(get(p, name) > 0, p.prm_deck + ": [Mesh/" + g.section + "/" + name + "]", "must be > 0 (mm)");
    }

    /// Name a set of surfaces (a boundary tag).
    void
    tag_surfaces(const std::string &name, const std::vector<int> &surfaces)
    {
      if (surfaces.empty())
        return;
      const int pg = gmsh::model::addPhysicalGroup(2, surfaces);
      gmsh::model::setPhysicalName(2, pg, name);
    }

    void
    tag_volumes(const std::string &name, const std::vector<int> &volumes)
    {
      const int pg = gmsh::model::addPhysicalGroup(3, volumes);
      gmsh::model::setPhysicalName(3, pg, name);
    }

    std::vector<int>
    all_volumes()
    {
      gmsh::vectorpair v;
      gmsh::model::getEntities(v, 3);
      std::vector<int> out;
      for (const auto &dt : v)
        out.push_back(dt.second);
      return out;
    }

    std::vector<int>
    boundary_surfaces()
    {
      gmsh::vectorpair v, b;
      gmsh::model::getEntities(v, 3);
      gmsh::model::getBoundary(v, b, true, false, false);
      std::vector<int> out;
      for (const auto &dt : b)
        out.push_back(std::abs(dt.second));
      return out;
    }

    struct Box
    {
      double xmin, ymin, zmin, xmax, ymax, zmax;
    };
    Box
    bbox(int dim, int tag)
    {
      Box b;
      gmsh::model::getBoundingBox(dim, tag, b.xmin, b.ymin, b.zmin, b.xmax, b.ymax, b.zmax);
      return b;
    }

    /// A solid prolate ellipsoid (semi-axes rs, rs, rl) centred at the origin.
    int
    ellipsoid(double rs, double rl)
    {
      const int s = occ::addSphere(0, 0, 0, 1);
      occ::dilate({{3, s}}, 0, 0, 0, rs, rs, rl);
      return s;
    }

    // ---- Land et al. 2015 truncated ellipsoid ----------------------------------------------
    void
    build_land_lv(const MeshParameters &p)
    {
      const double rse = get(p, "Endo short radius"), rle = get(p, "Endo long radius");
      const double rso = get(p, "Epi short radius"), rlo = get(p, "Epi long radius");
      const double zb  = get(p, "Base height");
      const std::string where = p.prm_deck + ": [Mesh/Land LV]";
      input_check(rse > 0 && rle > 0 && rso > rse && rlo > rle, where,
                  "needs 0 < endo radii < epi radii (got endo " + std::to_string(rse) + "/" + std::to_string(rle) +
                    ", epi " + std::to_string(rso) + "/" + std::to_string(rlo) + " mm)");
      input_check(zb > -rle && zb < rle, where + "/Base height", "must lie between -Endo long radius and +Endo long radius");
      const int outer = ellipsoid(rso, rlo);
      const int inner = ellipsoid(rse, rle);
      gmsh::vectorpair out;
      std::vector<gmsh::vectorpair> map;
      occ::cut({{3, outer}}, {{3, inner}}, out, map);
      const double L   = 4 * rlo;
      const int    box = occ::addBox(-L, -L, zb, 2 * L, 2 * L, L);
      gmsh::vectorpair wall = out;
      occ::cut(wall, {{3, box}}, out, map);
      occ::synchronize();
      std::vector<int> endo, epi, base;
      for (const int s : boundary_surfaces())
        {
          const Box b = bbox(2, s);
          if (std::abs(b.zmax - b.zmin) < 1e-3 * rlo && std::abs(b.zmin - zb) < 1e-2 * rlo)
            base.push_back(s);
          else if (b.xmax < 0.5 * (rse + rso))
            endo.push_back(s);
          else
            epi.push_back(s);
        }
      tag_surfaces("endo", endo);
      tag_surfaces("epi", epi);
      tag_surfaces("base", base);
      tag_volumes("myocardium", all_volumes());
    }

    double
    volume_land_lv(const MeshParameters &p)
    {
      return truncated_ellipsoid_volume(get(p, "Epi short radius"), get(p, "Epi long radius"), get(p, "Base height")) -
             truncated_ellipsoid_volume(get(p, "Endo short radius"), get(p, "Endo long radius"), get(p, "Base height"));
    }

    // ---- slab ------------------------------------------------------------------------------
    void
    build_slab(const MeshParameters &p)
    {
      static const Generator *g = &find_generator("slab", "slab");
      for (const char *n : {"Length x", "Length y", "Length z"})
        positive(p, *g, n);
      const double lx = get(p, "Length x"), ly = get(p, "Length y"), lz = get(p, "Length z");
      occ::addBox(0, 0, 0, lx, ly, lz);
      occ::synchronize();
      std::map<std::string, std::vector<int>> faces;
      for (const int s : boundary_surfaces())
        {
          const Box b = bbox(2, s);
          const double e = 1e-3 * std::max({lx, ly, lz});
          if (b.xmax - b.xmin < e)
            faces[b.xmin < 0.5 * lx ? "xmin" : "xmax"].push_back(s);
          else if (b.ymax - b.ymin < e)
            faces[b.ymin < 0.5 * ly ? "ymin" : "ymax"].push_back(s);
          else
            faces[b.zmin < 0.5 * lz ? "zmin" : "zmax"].push_back(s);
        }
      for (const auto &[n, s] : faces)
        tag_surfaces(n, s);
      tag_volumes("tissue", all_volumes());
    }

    // ---- sphere (verification shape) -------------------------------------------------------
    void
    build_sphere(const MeshParameters &p)
    {
      static const Generator *g = &find_generator("sphere", "sphere");
      positive(p, *g, "Radius");
      occ::addSphere(0, 0, 0, get(p, "Radius"));
      occ::synchronize();
      tag_surfaces("surface", boundary_surfaces());
      tag_volumes("interior", all_volumes());
    }

    // ---- surface classification by points --------------------------------------------------
    double
    ellipsoid_level(const dealii::Point<3> &x, const dealii::Point<3> &c, double a, double b, double cz)
    {
      return std::pow((x[0] - c[0]) / a, 2) + std::pow((x[1] - c[1]) / b, 2) + std::pow((x[2] - c[2]) / cz, 2) - 1;
    }

    // ---- vessel with stenosis and stent ------------------------------------------------------
    // Built straight along +z (arc length s = z). Lumen radius r(s): R outside the stenosis, a
    // cosine dip of area reduction `severity` over `Stenosis length` around `Stenosis centre`.
    // Curved vessels (Curvature radius Rc > 0): the straight mesh is bent after meshing, every
    // node (vertices and P2 nodes) mapped by bend() onto a circular arc of radius Rc in the x-z
    // plane that starts along +z at the origin (vessel_bend, Generator::node_map).
    struct VesselShape
    {
      double R, L, severity, Ls, sc, Rc;
      explicit VesselShape(const MeshParameters &p)
        : R(get(p, "Radius"))
        , L(get(p, "Length"))
        , severity(get(p, "Stenosis severity"))
        , Ls(get(p, "Stenosis length"))
        , sc(get(p, "Stenosis centre"))
        , Rc(get(p, "Curvature radius"))
      {}
      double
      radius(double s) const
      {
        const double d = 1 - std::sqrt(1 - severity); // radius reduction at the throat
        if (Ls > 0 && std::abs(s - sc) < Ls / 2)
          return R * (1 - d / 2 * (1 + std::cos(2 * M_PI * (s - sc) / Ls)));
        return R;
      }
      /// Straight -> curved: the point at arc length z and offset (x, y) from the axis goes to
      /// centreline(z) + x n(z) + y e_y, with the arc's centre at (Rc, 0, 0), angle z / Rc,
      /// tangent (sin, 0, cos) and normal n = (cos, 0, -sin). A rotation about the axis
      /// (Rc, 0, 0) + t e_y for each z: lengths across the axis are kept, lengths along it
      /// scaled by (Rc - x) / Rc (the Jacobian determinant); its first moment over any
      /// section centred on the axis vanishes, so the volume is kept (Pappus).
      void
      bend(double x[3]) const
      {
        const double th = x[2] / Rc, arm = Rc - x[0];
        x[0]            = Rc - arm * std::cos(th);
        x[2]            = arm * std::sin(th);
      }
      double
      exact_volume() const
      {
        // lumen without struts (Pappus: the tube volume does not depend on the curvature)
        const int n = 20000;
        double    v = 0;
        for (int i = 0; i < n; ++i)
          {
            const double s = (i + 0.5) * L / n;
            v += M_PI * radius(s) * radius(s) * L / n;
          }
        return v;
      }
    };

    void
    vessel_bend(const MeshParameters &p, double x[3])
    {
      const VesselShape v(p);
      if (v.Rc > 0)
        v.bend(x);
    }

    void
    build_vessel(const MeshParameters &p)
    {
      static const Generator *g = &find_generator("vessel", "vessel");
      for (const char *n : {"Radius", "Length", "Strut thickness", "Ring spacing", "Helix pitch"})
        positive(p, *g, n);
      const VesselShape v(p);
      const std::string where = p.prm_deck + ": [Mesh/Vessel/";
      input_check(v.severity >= 0 && v.severity < 0.95, where + "Stenosis severity]", "must be in [0, 0.95) (area reduction)");
      input_check(v.Rc == 0 || v.Rc > 2 * v.R, where + "Curvature radius]", "must be 0 (straight) or > 2 Radius");
      input_check(v.Rc == 0 || v.L / v.Rc < 1.5 * M_PI, where + "Length]", "the arc must turn by less than 270 degrees");
      const std::string stent = p.prm_shape_text.at("Stent");
      input_check(stent == "none" || stent == "ring" || stent == "helical", where + "Stent] = " + stent,
                  "expected none, ring or helical");
      const double t = get(p, "Strut thickness"), s0 = get(p, "Stent start"), s1 = get(p, "Stent end");
      input_check(t >= 0.05 && t < v.R, where + "Strut thickness]", "must be between 0.05 mm and the radius");
      input_check(stent == "none" || (s0 >= 0 && s1 <= v.L && s1 > s0), where + "Stent end]",
                  "the stent must lie within the vessel: 0 <= Stent start < Stent end <= Length");
      // stations of the profile spline, denser where the radius varies
      std::vector<double> stations;
      const int           n_plain = 8, n_sten = 16;
      for (int i = 0; i <= n_plain; ++i)
        stations.push_back(v.L * i / n_plain);
      if (v.severity > 0 && v.Ls > 0)
        for (int i = 0; i <= n_sten; ++i)
          stations.push_back(v.sc - v.Ls / 2 + v.Ls * i / n_sten);
      std::sort(stations.begin(), stations.end());
      std::vector<double> uniq;
      for (const double s : stations)
        if (s >= 0 && s <= v.L && (uniq.empty() || s - uniq.back() > 1e-3 * v.L))
          uniq.push_back(s);
      gmsh::vectorpair lumen;
      {
        // revolve the profile r(s) (an interpolating spline) about the axis. A loft through
        // circles gave a B-spline surface on which Gmsh's 2D meshers failed or produced a
        // surface mesh that the 3D boundary recovery rejected ("PLC Error: A segment and a
        // facet intersect") at h = 0.3 mm with a 50 % stenosis. Curved vessels are this
        // straight one, bent after meshing (VesselShape::bend).
        std::vector<int> pts;
        for (const double s : uniq)
          pts.push_back(occ::addPoint(v.radius(s), 0, s));
        const int profile = occ::addSpline(pts);
        const int a0 = occ::addPoint(0, 0, 0), a1 = occ::addPoint(0, 0, v.L);
        const int loop = occ::addCurveLoop(
          {occ::addLine(a0, pts.front()), profile, occ::addLine(pts.back(), a1), occ::addLine(a1, a0)});
        const int        face = occ::addPlaneSurface({loop});
        gmsh::vectorpair rev;
        occ::revolve({{2, face}}, 0, 0, 0, 0, 0, 1, 2 * M_PI, rev);
        for (const auto &dt : rev)
          if (dt.first == 3)
            lumen.push_back(dt);
      }
      gmsh::vectorpair tools;
      const double     r = t / 2; // struts: circular cross-section of diameter t centred on the wall
      if (stent == "ring")
        {
          const double spacing = get(p, "Ring spacing");
          for (double s = s0; s <= s1 + 1e-9; s += spacing)
            {
              tools.push_back({3, occ::addTorus(0, 0, s, v.radius(s), r)});
            }
        }
      else if (stent == "helical")
        {
          const double     pitch = get(p, "Helix pitch");
          const int        n     = std::max(24, static_cast<int>((s1 - s0) / pitch * 24));
          std::vector<int> pts;
          for (int i = 0; i <= n; ++i)
            {
              const double s = s0 + (s1 - s0) * i / n;
              const double ph = 2 * M_PI * (s - s0) / pitch, rr = v.radius(s);
              pts.push_back(occ::addPoint(rr * std::cos(ph), rr * std::sin(ph), s));
            }
          const int spine = occ::addSpline(pts); // interpolates: the centre line lies on the wall
          const int wire  = occ::addWire({spine});
          occ::synchronize();
          std::vector<double> lo, hi, x, d;
          gmsh::model::getParametrizationBounds(1, spine, lo, hi);
          gmsh::model::getValue(1, spine, {lo[0]}, x);
          gmsh::model::getDerivative(1, spine, {lo[0]}, d);
          const double dn   = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
          const int    disk = occ::addDisk(0, 0, 0, r, r);
          const double axn  = std::hypot(d[0], d[1]);
          if (axn > 1e-12 * dn)
            occ::rotate({{2, disk}}, 0, 0, 0, -d[1] / axn, d[0] / axn, 0, std::acos(d[2] / dn));
          occ::translate({{2, disk}}, x[0], x[1], x[2]);
          gmsh::vectorpair pipe;
          occ::addPipe({{2, disk}}, wire, pipe, "DiscreteTrihedron");
          for (const auto &dt : pipe)
            if (dt.first == 3)
              tools.push_back(dt);
        }
      // Struts: fragment the lumen with the strut solids (not a plain cut) so that the
      // surfaces shared by the fluid and the struts are known; then delete the strut solids.
      // The shared surfaces remain as the fluid's boundary and are tagged "struts".
      std::vector<int> fluid, strut_faces;
      if (tools.empty())
        {
          occ::synchronize();
          fluid = all_volumes();
        }
      else
        {
          gmsh::vectorpair              out;
          std::vector<gmsh::vectorpair> map;
          occ::fragment(lumen, tools, out, map);
          std::set<int> strut_vols;
          for (std::size_t i = 1; i < map.size(); ++i)
            for (const auto &dt : map[i])
              if (dt.first == 3)
                strut_vols.insert(dt.second);
          for (const auto &dt : map[0])
            if (dt.first == 3 && !strut_vols.count(dt.second))
              fluid.push_back(dt.second);
          occ::synchronize();
          input_check(!fluid.empty(), where + "Strut thickness]", "the struts fill the lumen");
          std::set<int> strut_boundary;
          for (const int vol : strut_vols)
            {
              gmsh::vectorpair b;
              gmsh::model::getBoundary({{3, vol}}, b, false, false, false);
              for (const auto &dt : b)
                strut_boundary.insert(std::abs(dt.second));
            }
          gmsh::vectorpair fluid_dt, fb;
          for (const int f : fluid)
            fluid_dt.push_back({3, f});
          gmsh::model::getBoundary(fluid_dt, fb, true, false, false);
          for (const auto &dt : fb)
            if (strut_boundary.count(std::abs(dt.second)))
              strut_faces.push_back(std::abs(dt.second));
          gmsh::vectorpair remove;
          for (const int vol : strut_vols)
            remove.push_back({3, vol});
          occ::remove(remove, true); // with the surfaces that no fluid volume uses
          occ::synchronize();
          input_check(!strut_faces.empty(), where + "Stent]", "the struts do not touch the lumen");
        }
      // the remaining fluid boundary: end caps by the arc length of their centre, else wall
      std::vector<int> inlet, outlet, wall;
      for (const int s : boundary_surfaces())
        {
          if (std::find(strut_faces.begin(), strut_faces.end(), s) != strut_faces.end())
            continue;
          double xc, yc, zc;
          occ::getCenterOfMass(2, s, xc, yc, zc);
          if (zc < 1e-3 * v.R)
            inlet.push_back(s);
          else if (zc > v.L - 1e-3 * v.R)
            outlet.push_back(s);
          else
            wall.push_back(s);
        }
      tag_surfaces("inlet", inlet);
      tag_surfaces("outlet", outlet);
      tag_surfaces("wall", wall);
      tag_surfaces("struts", strut_faces);
      tag_volumes("lumen", fluid);
    }

    /// Elements near the struts: Strut element size (0: half the strut thickness) at the
    /// strut surface, growing to Element size with slope 1.5 (measured: ring stent, t = 0.1 mm,
    /// h = 0.5 mm: no boundary-recovery failure; the uniform size failed, see docs/meshing.md).
    std::vector<SizeNear>
    vessel_size_near(const MeshParameters &p)
    {
      if (p.prm_shape_text.at("Stent") == "none")
        return {};
      const double t  = get(p, "Strut thickness");
      const double hs = get(p, "Strut element size") > 0 ? get(p, "Strut element size") : t / 2;
      return {{"struts", hs, std::max(p.prm_element_size - hs, 0.) / 1.5}};
    }

    // ---- idealised bi-ventricle ------------------------------------------------------------
    // LV: the Land-type truncated ellipsoid shell. RV: an ellipsoidal cavity on the +x side,
    // its free wall an offset ellipsoid; the septum is the LV wall between the cavities.
    void
    build_biv(const MeshParameters &p)
    {
      static const Generator *g = &find_generator("biv", "biv");
      for (const char *n : {"LV endo short radius", "LV endo long radius", "LV epi short radius", "LV epi long radius",
                            "RV endo radius x", "RV endo radius y", "RV endo long radius", "RV wall thickness"})
        positive(p, *g, n);
      const double lsi = get(p, "LV endo short radius"), lli = get(p, "LV endo long radius");
      const double lso = get(p, "LV epi short radius"), llo = get(p, "LV epi long radius");
      const double rx = get(p, "RV endo radius x"), ry = get(p, "RV endo radius y"), rl = get(p, "RV endo long radius");
      const double w = get(p, "RV wall thickness"), xo = get(p, "RV centre offset"), zb = get(p, "Base height");
      input_check(lso > lsi && llo > lli, p.prm_deck + ": [Mesh/Bi-ventricle]", "LV epi radii must exceed LV endo radii");
      input_check(xo > 0 && xo - rx < lso && xo + rx > lso, p.prm_deck + ": [Mesh/Bi-ventricle/RV centre offset]",
                  "the RV cavity must overlap the LV epicardium (0 < offset - RV endo radius x < LV epi short radius "
                  "< offset + RV endo radius x)");
      auto ell = [](double cx, double a, double b, double c) {
        const int s = occ::addSphere(0, 0, 0, 1);
        occ::dilate({{3, s}}, 0, 0, 0, a, b, c);
        occ::translate({{3, s}}, cx, 0, 0);
        return s;
      };
      const int lv_epi = ell(0, lso, lso, llo), rv_epi = ell(xo, rx + w, ry + w, rl + w);
      gmsh::vectorpair              solid, tmp, cav;
      std::vector<gmsh::vectorpair> map;
      occ::fuse({{3, lv_epi}}, {{3, rv_epi}}, solid, map);
      const int lv_endo = ell(0, lsi, lsi, lli);
      const int rv_endo = ell(xo, rx, ry, rl);
      const int lv_epi2 = ell(0, lso, lso, llo);
      occ::cut({{3, rv_endo}}, {{3, lv_epi2}}, cav, map); // RV cavity outside the LV wall
      cav.push_back({3, lv_endo});
      occ::cut(solid, cav, tmp, map);
      const double L   = 4 * std::max(llo, rl + w);
      const int    box = occ::addBox(-L, -L, zb, 2 * L, 2 * L, L);
      occ::cut(tmp, {{3, box}}, solid, map);
      occ::synchronize();
      tag_volumes("myocardium", all_volumes());
    }

    std::string
    biv_tag(const MeshParameters &p, const dealii::Point<3> &x)
    {
      const double lsi = get(p, "LV endo short radius"), lli = get(p, "LV endo long radius");
      const double lso = get(p, "LV epi short radius"), llo = get(p, "LV epi long radius");
      const double rx = get(p, "RV endo radius x"), ry = get(p, "RV endo radius y"), rl = get(p, "RV endo long radius");
      const double xo = get(p, "RV centre offset"), zb = get(p, "Base height");
      const dealii::Point<3> o(0, 0, 0), orv(xo, 0, 0);
      const double           tol = 0.02;
      if (std::abs(x[2] - zb) < 1e-6 * llo)
        return "base";
      if (std::abs(ellipsoid_level(x, o, lsi, lsi, lli)) < tol)
        return "lv_endo";
      if (std::abs(ellipsoid_level(x, orv, rx, ry, rl)) < tol)
        return "rv_endo";
      // the septum's RV side lies on the LV epicardial ellipsoid, inside the RV cavity ellipsoid
      if (std::abs(ellipsoid_level(x, o, lso, lso, llo)) < tol && ellipsoid_level(x, orv, rx, ry, rl) < 0)
        return "rv_endo";
      return "epi";
    }

    // ---- FDA benchmark nozzle (Hariharan et al. 2011, J Biomech Eng 133:041002) --------------
    // inlet pipe D, 20 deg conical converger to the throat d, throat of length Lt, sudden
    // expansion to D, outlet pipe.
    void
    build_nozzle(const MeshParameters &p)
    {
      static const Generator *g = &find_generator("fda_nozzle", "fda_nozzle");
      for (const char *n : {"Inlet diameter", "Throat diameter", "Throat length", "Inlet length", "Outlet length",
                            "Cone half angle"})
        positive(p, *g, n);
      const double D = get(p, "Inlet diameter"), d = get(p, "Throat diameter"), Lt = get(p, "Throat length");
      const double Li = get(p, "Inlet length"), Lo = get(p, "Outlet length");
      const double Lc = (D - d) / 2 / std::tan(get(p, "Cone half angle") * M_PI / 180);
      input_check(d < D, p.prm_deck + ": [Mesh/FDA nozzle/Throat diameter]", "must be smaller than the inlet diameter");
      const int a = occ::addCylinder(0, 0, 0, 0, 0, Li, D / 2);
      const int b = occ::addCone(0, 0, Li, 0, 0, Lc, D / 2, d / 2);
      const int c = occ::addCylinder(0, 0, Li + Lc, 0, 0, Lt, d / 2);
      const int e = occ::addCylinder(0, 0, Li + Lc + Lt, 0, 0, Lo, D / 2);
      gmsh::vectorpair              out;
      std::vector<gmsh::vectorpair> map;
      occ::fuse({{3, a}}, {{3, b}, {3, c}, {3, e}}, out, map);
      occ::synchronize();
      tag_volumes("fluid", all_volumes());
    }

    double
    nozzle_length(const MeshParameters &p)
    {
      const double Lc = (get(p, "Inlet diameter") - get(p, "Throat diameter")) / 2 /
                        std::tan(get(p, "Cone half angle") * M_PI / 180);
      return get(p, "Inlet length") + Lc + get(p, "Throat length") + get(p, "Outlet length");
    }

    std::string
    nozzle_tag(const MeshParameters &p, const dealii::Point<3> &x)
    {
      const double L = nozzle_length(p), tol = 1e-6 * L;
      if (x[2] < tol)
        return "inlet";
      if (x[2] > L - tol)
        return "outlet";
      return "wall";
    }

    // ---- liver-like and kidney-like organs with vessel stubs -------------------------------
    // A smooth organ body (ellipsoid; the kidney with a hilum notch) and cylindrical vessel
    // stubs whose end discs are the inlet/outlet patches; the rest is the capsule.
    struct Stub
    {
      std::string         name;
      dealii::Point<3>    base;
      dealii::Tensor<1, 3> dir;
      double              r, length;
    };

    std::vector<Stub>
    organ_stubs(const MeshParameters &p, bool kidney)
    {
      const double a = get(p, "Semi-axis x"), b = get(p, "Semi-axis y"), c = get(p, "Semi-axis z");
      const double r = get(p, "Vessel radius"), l = get(p, "Vessel length");
      (void)b;
      if (kidney) // hilum on the -x side: artery above vein
        return {{"inlet", dealii::Point<3>(-0.5 * a, 0, 0.25 * c), dealii::Tensor<1, 3>({-1., 0., 0.}), r, l + 0.5 * a},
                {"outlet", dealii::Point<3>(-0.5 * a, 0, -0.25 * c), dealii::Tensor<1, 3>({-1., 0., 0.}), r, l + 0.5 * a}};
      // liver: portal inlet and hepatic-vein outlet on the lower (-z) and upper (+z) faces
      return {{"inlet", dealii::Point<3>(-0.2 * a, 0, 0), dealii::Tensor<1, 3>({0., 0., -1.}), r, l + c},
              {"outlet", dealii::Point<3>(0.2 * a, 0, 0), dealii::Tensor<1, 3>({0., 0., 1.}), r, l + c}};
    }

    void
    build_organ(const MeshParameters &p, bool kidney)
    {
      const Generator *g = &find_generator(kidney ? "kidney_like" : "liver_like", "organ");
      for (const char *n : {"Semi-axis x", "Semi-axis y", "Semi-axis z", "Vessel radius", "Vessel length"})
        positive(p, *g, n);
      const double a = get(p, "Semi-axis x"), b = get(p, "Semi-axis y"), c = get(p, "Semi-axis z");
      input_check(get(p, "Vessel radius") < 0.4 * std::min({a, b, c}), p.prm_deck + ": [Mesh/" + g->section + "/Vessel radius]",
                  "must be smaller than 0.4 times the smallest semi-axis");
      const int body = occ::addSphere(0, 0, 0, 1);
      occ::dilate({{3, body}}, 0, 0, 0, a, b, c);
      gmsh::vectorpair              obj{{3, body}}, out;
      std::vector<gmsh::vectorpair> map;
      if (kidney)
        {
          // hilum: a notch on the -x side
          const int notch = occ::addSphere(-1.15 * a, 0, 0, 0.45 * a);
          occ::cut(obj, {{3, notch}}, out, map);
          obj = out;
        }
      else
        {
          // liver: flatter, wedge-like lower surface
          const int cutter = occ::addBox(-2 * a, -2 * b, -2 * c, 4 * a, 4 * b, 1.45 * c);
          occ::cut(obj, {{3, cutter}}, out, map);
          obj = out;
        }
      gmsh::vectorpair stubs;
      for (const auto &s : organ_stubs(p, kidney))
        {
          const dealii::Tensor<1, 3> d = s.dir * s.length;
          stubs.push_back({3, occ::addCylinder(s.base[0], s.base[1], s.base[2], d[0], d[1], d[2], s.r)});
        }
      occ::fuse(obj, stubs, out, map);
      occ::synchronize();
      tag_volumes("parenchyma", all_volumes());
    }

    std::string
    organ_tag(const MeshParameters &p, const dealii::Point<3> &x, bool kidney)
    {
      for (const auto &s : organ_stubs(p, kidney))
        {
          const dealii::Point<3> end = s.base + s.dir * s.length;
          const dealii::Tensor<1, 3> u = x - end;
          if (std::abs(u * s.dir) < 1e-6 * s.length && (u - (u * s.dir) * s.dir).norm() <= s.r * (1 + 1e-6))
            return s.name;
        }
      return "capsule";
    }
  } // namespace

  const std::vector<Generator> &
  generators()
  {
    static const std::vector<Generator> list = {
      {"land_lv",
       "Land LV",
       "truncated prolate ellipsoid LV of Land et al. 2015 (Proc R Soc A 471:20150641), apex on -z, base plane z = "
       "Base height",
       {{"Endo short radius", "7", "[mm] endocardial short (equatorial) semi-axis"},
        {"Endo long radius", "17", "[mm] endocardial long semi-axis (apex at z = -Endo long radius)"},
        {"Epi short radius", "10", "[mm] epicardial short semi-axis"},
        {"Epi long radius", "20", "[mm] epicardial long semi-axis"},
        {"Base height", "5", "[mm] z of the base plane that truncates both ellipsoids"}},
       {"endo", "epi", "base"},
       1.0,
       build_land_lv,
       volume_land_lv},
      {"vessel",
       "Vessel",
       "blood vessel lumen (fluid domain) with a cosine stenosis and an optional stent of ring or helical struts of "
       "circular cross-section centred on the wall (half of each strut protrudes into the lumen); straight along +z or "
       "curved (the straight mesh bent onto a circular arc in the x-z plane, starting along +z at the origin, every "
       "node incl. P2 nodes mapped); tags inlet (s = 0), outlet (s = Length), wall, struts",
       {{"Radius", "1.5", "[mm] lumen radius outside the stenosis"},
        {"Length", "20", "[mm] centreline length"},
        {"Curvature radius", "0", "[mm] 0 = straight; else the centreline is a circular arc of this radius (> 2 "
                                  "Radius; arc angle Length / Curvature radius < 270 deg), centre at (R, 0, 0)"},
        {"Stenosis severity", "0.5", "[1] area reduction at the throat (0 = none, 0.5 = 50 %)"},
        {"Stenosis length", "6", "[mm] length of the cosine-shaped stenosis"},
        {"Stenosis centre", "10", "[mm] arc length of the throat"},
        {"Stent", "ring", "none | ring | helical", false},
        {"Strut thickness", "0.1", "[mm] strut diameter (>= 0.05 mm)"},
        {"Strut element size", "0", "[mm] element size at the strut surfaces (0 = half the strut thickness); grows "
                                    "to Element size with slope 1.5"},
        {"Stent start", "5", "[mm] arc length where the stent begins"},
        {"Stent end", "15", "[mm] arc length where the stent ends"},
        {"Ring spacing", "1.5", "[mm] ring stent: distance between rings"},
        {"Helix pitch", "2", "[mm] helical stent: axial distance per turn"}},
       {"inlet", "outlet", "wall", "struts"},
       0.3,
       build_vessel,
       [](const MeshParameters &p) { return VesselShape(p).exact_volume(); },
       nullptr,
       vessel_size_near,
       vessel_bend},
      {"biv",
       "Bi-ventricle",
       "idealised bi-ventricle: Land-type LV shell and an ellipsoidal RV cavity on the +x side (septum = LV wall), "
       "truncated at z = Base height; tags lv_endo, rv_endo, epi, base",
       {{"LV endo short radius", "7", "[mm]"},
        {"LV endo long radius", "17", "[mm]"},
        {"LV epi short radius", "10", "[mm]"},
        {"LV epi long radius", "20", "[mm]"},
        {"RV endo radius x", "9", "[mm] RV cavity semi-axis along x (the LV-RV direction)"},
        {"RV endo radius y", "13", "[mm] RV cavity semi-axis along y"},
        {"RV endo long radius", "17", "[mm] RV cavity semi-axis along z"},
        {"RV centre offset", "11", "[mm] x of the RV cavity centre"},
        {"RV wall thickness", "3", "[mm] RV free wall"},
        {"Base height", "5", "[mm] z of the base plane"}},
       {"lv_endo", "rv_endo", "epi", "base"},
       1.5,
       build_biv,
       [](const MeshParameters &p) {
         return 4. / 3 * M_PI *
                ((get(p, "RV endo radius x") + 3) * (get(p, "RV endo radius y") + 3) * (get(p, "RV endo long radius") + 3) +
                 std::pow(get(p, "LV epi short radius"), 2) * get(p, "LV epi long radius"));
       },
       biv_tag},
      {"fda_nozzle",
       "FDA nozzle",
       "FDA benchmark nozzle (Hariharan et al. 2011): inlet pipe, conical converger, throat, sudden expansion, "
       "outlet pipe along +z; tags inlet, outlet, wall",
       {{"Inlet diameter", "12", "[mm]"},
        {"Throat diameter", "4", "[mm]"},
        {"Throat length", "40", "[mm]"},
        {"Cone half angle", "10", "[deg] half angle of the converger (the benchmark's 20 deg cone)"},
        {"Inlet length", "20", "[mm] (the benchmark's inlet pipe is longer; shortened to save elements)"},
        {"Outlet length", "60", "[mm]"}},
       {"inlet", "outlet", "wall"},
       1.0,
       build_nozzle,
       [](const MeshParameters &p) { return M_PI * std::pow(get(p, "Inlet diameter") / 2, 2) * nozzle_length(p); },
       nozzle_tag},
      {"liver_like",
       "Liver-like",
       "smooth liver-like organ (flattened ellipsoid) with a portal inlet stub below and a hepatic-vein outlet stub "
       "above; tags capsule, inlet, outlet",
       {{"Semi-axis x", "90", "[mm]"},
        {"Semi-axis y", "70", "[mm]"},
        {"Semi-axis z", "50", "[mm]"},
        {"Vessel radius", "6", "[mm] radius of the inlet/outlet stubs"},
        {"Vessel length", "10", "[mm] length of the stubs outside the organ"}},
       {"capsule", "inlet", "outlet"},
       6.0,
       [](const MeshParameters &p) { build_organ(p, false); },
       [](const MeshParameters &p) { return 4. / 3 * M_PI * get(p, "Semi-axis x") * get(p, "Semi-axis y") * get(p, "Semi-axis z"); },
       [](const MeshParameters &p, const dealii::Point<3> &x) { return organ_tag(p, x, false); }},
      {"kidney_like",
       "Kidney-like",
       "kidney-like organ (ellipsoid with a hilum notch on the -x side) with renal artery inlet and renal vein "
       "outlet stubs at the hilum; tags capsule, inlet, outlet",
       {{"Semi-axis x", "30", "[mm]"},
        {"Semi-axis y", "25", "[mm]"},
        {"Semi-axis z", "55", "[mm]"},
        {"Vessel radius", "3", "[mm] radius of the inlet/outlet stubs"},
        {"Vessel length", "8", "[mm] length of the stubs outside the organ"}},
       {"capsule", "inlet", "outlet"},
       3.0,
       [](const MeshParameters &p) { build_organ(p, true); },
       [](const MeshParameters &p) { return 4. / 3 * M_PI * get(p, "Semi-axis x") * get(p, "Semi-axis y") * get(p, "Semi-axis z"); },
       [](const MeshParameters &p, const dealii::Point<3> &x) { return organ_tag(p, x, true); }},
      {"slab",
       "Slab",
       "box [0,Lx]x[0,Ly]x[0,Lz] in tetrahedra (hexahedra: Source = box)",
       {{"Length x", "20", "[mm]"}, {"Length y", "7", "[mm]"}, {"Length z", "3", "[mm]"}},
       {"xmin", "xmax", "ymin", "ymax", "zmin", "zmax"},
       0.5,
       build_slab,
       [](const MeshParameters &p) { return get(p, "Length x") * get(p, "Length y") * get(p, "Length z"); }},
      {"sphere",
       "Sphere",
       "ball of the given radius centred at the origin (verification shape)",
       {{"Radius", "10", "[mm]"}},
       {"surface"},
       1.0,
       build_sphere,
       [](const MeshParameters &p) { return 4. / 3 * M_PI * std::pow(get(p, "Radius"), 3); }},
    };
    return list;
  }

  void
  classify_surfaces(const Generator &g, const MeshParameters &p, double h)
  {
    gmsh::option::setNumber("Mesh.MeshSizeMax", h);
    gmsh::option::setNumber("Mesh.MeshSizeMin", 0);
    gmsh::model::mesh::generate(2);
    gmsh::vectorpair surfaces;
    gmsh::model::getEntities(surfaces, 2);
    std::map<std::string, std::vector<int>> groups;
    for (const auto &[dim, tag] : surfaces)
      {
        std::vector<std::size_t> nodes;
        std::vector<double>      x, u;
        gmsh::model::mesh::getNodes(nodes, x, u, 2, tag, false, false);
        if (nodes.empty())
          gmsh::model::mesh::getNodes(nodes, x, u, 2, tag, true, false);
        std::map<std::string, unsigned int> votes;
        for (std::size_t i = 0; i < nodes.size(); ++i)
          ++votes[g.point_tag(p, dealii::Point<3>(x[3 * i], x[3 * i + 1], x[3 * i + 2]))];
        std::string best;
        unsigned int most = 0;
        for (const auto &[n, c] : votes)
          if (c > most)
            {
              most = c;
              best = n;
            }
        groups[best.empty() ? g.tags.front() : best].push_back(tag);
      }
    for (const auto &[name, tags] : groups)
      tag_surfaces(name, tags);
    gmsh::model::mesh::clear();
  }
} // namespace organtwin::meshes
