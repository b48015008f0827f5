// export (see cli.h).
#include "engine/cli.h"

namespace seedforge::cli {

void AddExportCommands(CLI::App& /*app*/, std::vector<Command>* /*commands*/) {}

}  // namespace seedforge::cli
