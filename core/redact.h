// Masking passwords in text that is about to be printed.
//
// Messages come from many places (libpq, the option parser, seedforge's own context prefixes),
// and any of them may quote a connection string, well-formed or not. So rather than trusting
// each producer, the CLI passes every line it prints through RedactSecrets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seedforge {

// Returns `text` with every password it can recognise replaced by "***":
//   - the password of anything that looks like a URI with userinfo, whatever its scheme, even a
//     malformed one ("mysql://app:pw@h", "postgresql:/app:pw@h", "postgres//app:pw@h"): in a
//     word (text between blanks and quotes) holding an '@', what lies between the first ':' of
//     the userinfo and the last '@';
//   - the value of a `password=` keyword (any case, blanks around '=' allowed), quoted ('...',
//     with backslash escapes) or not (up to a blank or '&');
//   - every occurrence of each string in `secrets` (passwords known to be in play, such as the
//     one of --db) of at least 3 characters (shorter ones would mask ordinary words).
// Thread-safe.
std::string RedactSecrets(std::string_view text, const std::vector<std::string>& secrets = {});

// The passwords RedactSecrets would mask in `text` (by the first two rules), each also
// percent-decoded when that differs, so they can be masked wherever else they appear.
std::vector<std::string> FindSecrets(std::string_view text);

}  // namespace seedforge
