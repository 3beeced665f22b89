// Boost.Test driver for all unit suites; MPI (and PETSc) initialised once.
#define BOOST_TEST_MODULE organtwin_unit
#include <deal.II/base/mpi.h>

#include <boost/test/unit_test.hpp>

struct MpiFixture
{
  MpiFixture()
    : mpi(boost::unit_test::framework::master_test_suite().argc,
          boost::unit_test::framework::master_test_suite().argv, 1)
  {}
  dealii::Utilities::MPI::MPI_InitFinalize mpi;
};

BOOST_TEST_GLOBAL_FIXTURE(MpiFixture);
