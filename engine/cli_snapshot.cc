// snapshot create, list, show, restore, delete, prune (see cli.h).
#include "engine/cli.h"

namespace seedforge::cli {

void AddSnapshotCommands(CLI::App& /*app*/, std::vector<Command>* /*commands*/) {}

}  // namespace seedforge::cli
