// Gmsh session and the conversion of a meshed Gmsh model to a serial deal.II triangulation.
#include <deal.II/grid/tria.h>

#include <meshes/gmsh_bridge.h>
#include <solvers/common/parameters.h>

#include <gmsh.h>

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <array>
#include <set>

namespace organtwin::meshes
{
  using namespace dealii;

  GmshSession::GmshSession(const std::string &model_name)
  {
    gmsh::initialize();
    gmsh::option::setNumber("General.Terminal", 0);
    gmsh::option::setNumber("General.Verbosity", 1);
    gmsh::option::setNumber("General.NumThreads", 1);
    gmsh::option::setNumber("Mesh.RandomSeed", 1);
    gmsh::model::add(model_name);
  }

  GmshSession::~GmshSession() { gmsh::finalize(); }

  const Generator &
  find_generator(const std::string &name, const std::string &where)
  {
    std::string known;
    for (const auto &g : generators())
      {
        if (g.name == name)
          return g;
        known += (known.empty() ? "" : "|") + g.name;
      }
    throw InputError(where + ": unknown generator \"" + name + "\"; expected one of " + known);
  }

  void
  mesh_and_convert(const MeshParameters &p, double h, SerialMesh &out, double unit_to_mm)
  {
    gmsh::option::setNumber("Mesh.MeshSizeMax", h);
    gmsh::option::setNumber("Mesh.MeshSizeMin", 0);
    gmsh::option::setNumber("Mesh.MeshSizeFromCurvature", 0);
    gmsh::option::setNumber("Mesh.Optimize", 1);
    // size control near tags: the deck's [Mesh/Size near tags] and the generator's own
    std::vector<SizeNear> near;
    for (const auto &[name, size] : p.prm_size_near)
      near.push_back({name, size, p.prm_size_near_distance});
    if (p.prm_source == "generator")
      {
        const Generator &g = find_generator(p.prm_generator, p.prm_deck + ": [Mesh/Generator]");
        if (g.size_near)
          for (const auto &s : g.size_near(p))
            if (!p.prm_size_near.count(s.tag))
              near.push_back(s);
      }
    if (!near.empty() || !p.prm_size_points.empty())
      {
        // Distance + Threshold fields per tag, MathEval (distance to the point) + Threshold
        // per point, combined with Min.
        std::vector<double> fields;
        // size `size` up to distance dist_min of the distance field `in`, then linear to h
        auto threshold = [&](const int in, const double size, const double dist_min, const double transition) {
          const int t = gmsh::model::mesh::field::add("Threshold");
          gmsh::model::mesh::field::setNumber(t, "InField", in);
          gmsh::model::mesh::field::setNumber(t, "SizeMin", std::min(size, h));
          gmsh::model::mesh::field::setNumber(t, "SizeMax", h);
          gmsh::model::mesh::field::setNumber(t, "DistMin", dist_min);
          gmsh::model::mesh::field::setNumber(t, "DistMax", dist_min + std::max(transition, 1e-6));
          fields.push_back(t);
        };
        for (const auto &[x, size, radius] : p.prm_size_points)
          {
            std::ostringstream f;
            f << std::setprecision(17) << "sqrt((x-(" << x[0] << "))^2+(y-(" << x[1] << "))^2+(z-(" << x[2] << "))^2)";
            const int d = gmsh::model::mesh::field::add("MathEval");
            gmsh::model::mesh::field::setString(d, "F", f.str());
            threshold(d, size, radius, p.prm_size_near_distance);
          }
        std::map<std::string, int> group_of;
        gmsh::vectorpair           groups;
        gmsh::model::getPhysicalGroups(groups, 2);
        for (const auto &[dim, tag] : groups)
          {
            std::string name;
            gmsh::model::getPhysicalName(dim, tag, name);
            group_of[name] = tag;
          }
        for (const auto &s : near)
          {
            const auto it = group_of.find(s.tag);
            std::string known;
            for (const auto &g : group_of)
              known += (known.empty() ? "" : ", ") + g.first;
            input_check(it != group_of.end(), p.prm_deck + ": [Mesh/Size near tags]",
                        "names the unknown tag \"" + s.tag + "\"; this geometry has the tags: " + known);
            std::vector<int> ents;
            gmsh::model::getEntitiesForPhysicalGroup(2, it->second, ents);
            // (Gmsh 4.8's Distance field has no "Sampling" option: setting it threw)
            const int d = gmsh::model::mesh::field::add("Distance");
            gmsh::model::mesh::field::setNumbers(d, "SurfacesList", std::vector<double>(ents.begin(), ents.end()));
            threshold(d, s.size, 0, s.distance);
          }
        const int m = gmsh::model::mesh::field::add("Min");
        gmsh::model::mesh::field::setNumbers(m, "FieldsList", fields);
        gmsh::model::mesh::field::setAsBackgroundMesh(m);
        gmsh::option::setNumber("Mesh.MeshSizeExtendFromBoundary", 0);
      }
    gmsh::model::mesh::generate(3);
    if (p.prm_order == 2)
      gmsh::model::mesh::setOrder(2);
    if (p.prm_source == "generator")
      {
        const Generator &g = find_generator(p.prm_generator, p.prm_deck + ": [Mesh/Generator]");
        if (g.node_map)
          {
            // every node once (vertices, P2 edge nodes), in place
            std::vector<std::size_t> tags;
            std::vector<double>      x, u;
            gmsh::model::mesh::getNodes(tags, x, u, -1, -1, false, false);
            std::set<std::size_t> done;
            for (std::size_t i = 0; i < tags.size(); ++i)
              if (done.insert(tags[i]).second)
                {
                  double y[3] = {x[3 * i], x[3 * i + 1], x[3 * i + 2]};
                  g.node_map(p, y);
                  gmsh::model::mesh::setNode(tags[i], {y[0], y[1], y[2]}, {});
                }
          }
      }
    convert_gmsh_model(out, unit_to_mm);
  }

  namespace
  {
    using Tri = std::array<std::size_t, 3>;
    Tri
    sorted(std::size_t a, std::size_t b, std::size_t c)
    {
      Tri t{a, b, c};
      std::sort(t.begin(), t.end());
      return t;
    }
  } // namespace

  void
  convert_gmsh_model(SerialMesh &out, double unit_to_mm)
  {
    // nodes
    std::vector<std::size_t> node_tags;
    std::vector<double>      coords, param;
    gmsh::model::mesh::getNodes(node_tags, coords, param, -1, -1, true, false);
    std::map<std::size_t, std::size_t> node_index; // gmsh tag -> position in coords
    for (std::size_t i = 0; i < node_tags.size(); ++i)
      node_index[node_tags[i]] = i;
    auto node_point = [&](std::size_t tag) {
      const std::size_t i = node_index.at(tag);
      return Point<3>(coords[3 * i] * unit_to_mm, coords[3 * i + 1] * unit_to_mm, coords[3 * i + 2] * unit_to_mm);
    };

    // physical volume groups -> material ids (1, 2, ... in name order)
    std::map<int, unsigned int> material_of_entity;
    {
      gmsh::vectorpair groups;
      gmsh::model::getPhysicalGroups(groups, 3);
      std::map<std::string, int> by_name;
      for (const auto &[dim, tag] : groups)
        {
          std::string name;
          gmsh::model::getPhysicalName(dim, tag, name);
          by_name[name.empty() ? "region" + std::to_string(tag) : name] = tag;
        }
      unsigned int id = 1;
      for (const auto &[name, tag] : by_name)
        {
          std::vector<int> ents;
          gmsh::model::getEntitiesForPhysicalGroup(3, tag, ents);
          for (const int e : ents)
            material_of_entity[e] = id;
          out.material_names[name] = id++;
        }
    }

    // tetrahedra, entity by entity
    std::vector<Point<3>>              vertices;
    std::map<std::size_t, unsigned int> vertex_of_node;
    std::vector<CellData<3>>           cells;
    gmsh::vectorpair                   volumes;
    gmsh::model::getEntities(volumes, 3);
    for (const auto &[dim, tag] : volumes)
      {
        std::vector<int>                      types;
        std::vector<std::vector<std::size_t>> elem_tags, elem_nodes;
        gmsh::model::mesh::getElements(types, elem_tags, elem_nodes, 3, tag);
        for (std::size_t t = 0; t < types.size(); ++t)
          {
            AssertThrow(types[t] == 4 || types[t] == 11,
                        ExcMessage("Gmsh produced volume elements other than tetrahedra (type " +
                                   std::to_string(types[t]) + ")"));
            const unsigned int npe = types[t] == 4 ? 4 : 10;
            for (std::size_t e = 0; e < elem_tags[t].size(); ++e)
              {
                CellData<3> c(4);
                for (unsigned int v = 0; v < 4; ++v)
                  {
                    const std::size_t n  = elem_nodes[t][npe * e + v];
                    const auto        it = vertex_of_node.find(n);
                    if (it == vertex_of_node.end())
                      {
                        vertex_of_node[n] = vertices.size();
                        c.vertices[v]     = vertices.size();
                        vertices.push_back(node_point(n));
                      }
                    else
                      c.vertices[v] = it->second;
                  }
                const auto &x  = vertices;
                const double sv = (x[c.vertices[1]] - x[c.vertices[0]]) *
                                  cross_product_3d(x[c.vertices[2]] - x[c.vertices[0]], x[c.vertices[3]] - x[c.vertices[0]]);
                if (sv < 0)
                  std::swap(c.vertices[1], c.vertices[2]);
                const auto m      = material_of_entity.find(tag);
                c.material_id     = m == material_of_entity.end() ? 0 : m->second;
                cells.push_back(c);
              }
          }
      }
    AssertThrow(!cells.empty(), ExcMessage("Gmsh produced no tetrahedra"));

    // physical surface groups -> boundary ids (1, 2, ... in name order)
    std::map<Tri, unsigned int> face_id;
    {
      gmsh::vectorpair groups;
      gmsh::model::getPhysicalGroups(groups, 2);
      std::map<std::string, int> by_name;
      for (const auto &[dim, tag] : groups)
        {
          std::string name;
          gmsh::model::getPhysicalName(dim, tag, name);
          by_name[name.empty() ? "surface" + std::to_string(tag) : name] = tag;
        }
      unsigned int id = 1;
      for (const auto &[name, tag] : by_name)
        {
          std::vector<int> ents;
          gmsh::model::getEntitiesForPhysicalGroup(2, tag, ents);
          for (const int s : ents)
            {
              std::vector<int>                      types;
              std::vector<std::vector<std::size_t>> elem_tags, elem_nodes;
              gmsh::model::mesh::getElements(types, elem_tags, elem_nodes, 2, s);
              for (std::size_t t = 0; t < types.size(); ++t)
                {
                  if (types[t] != 2 && types[t] != 9)
                    continue;
                  const unsigned int npe = types[t] == 2 ? 3 : 6;
                  for (std::size_t e = 0; e < elem_tags[t].size(); ++e)
                    {
                      const std::size_t *nd = &elem_nodes[t][npe * e];
                      face_id[sorted(nd[0], nd[1], nd[2])] = id;
                      if (npe == 6)
                        for (unsigned int k = 0; k < 3; ++k)
                          {
                            // tri6: nodes 3, 4, 5 on edges (0,1), (1,2), (2,0)
                            const Point<3> a = node_point(nd[k]), b = node_point(nd[(k + 1) % 3]);
                            const Point<3> m = 0.5 * (a + b);
                            out.curved_midpoints[{m[0], m[1], m[2]}] = node_point(nd[3 + k]);
                          }
                    }
                }
            }
          out.boundary_names[name] = id++;
        }
    }

    out.tria.clear();
    out.tria.create_triangulation(vertices, cells, SubCellData());
    // reverse map: vertex index -> gmsh node tag
    std::vector<std::size_t> node_of_vertex(vertices.size());
    for (const auto &[n, v] : vertex_of_node)
      node_of_vertex[v] = n;
    bool untagged = false;
    for (const auto &cell : out.tria.active_cell_iterators())
      for (const unsigned int f : cell->face_indices())
        if (cell->face(f)->at_boundary())
          {
            const Tri  key = sorted(node_of_vertex[cell->face(f)->vertex_index(0)],
                                   node_of_vertex[cell->face(f)->vertex_index(1)],
                                   node_of_vertex[cell->face(f)->vertex_index(2)]);
            const auto it  = face_id.find(key);
            if (it == face_id.end())
              untagged = true;
            else
              cell->face(f)->set_boundary_id(it->second);
          }
    if (untagged)
      out.boundary_names["untagged"] = 0;
  }
} // namespace organtwin::meshes
