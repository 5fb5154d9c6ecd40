// Daemon: process entry point. Everything lives in newshound::cli_main.
#include "newshound/daemon/cli.hpp"

int main(int argc, char** argv) {
  return newshound::cli_main(argc, argv);
}
