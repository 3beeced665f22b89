#pragma once
// Version, git hash and build type of this build (generated at build time).
namespace organtwin
{
  const char *version_string();
  const char *git_hash();
  const char *build_type();
} // namespace organtwin
