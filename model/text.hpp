#pragma once
// Small text helpers shared by every reader of user files: UTF-8 validity,
// echoing a user's value in a message without copying all of it, and
// "did you mean" spelling hints.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace halltwin {

// The byte offset of the first byte that is not part of well-formed UTF-8 (no
// overlong forms, no surrogates, nothing above U+10FFFF); nullopt when all is.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);
// True when `text` is well-formed UTF-8.
inline bool is_valid_utf8(std::string_view text) { return !first_invalid_utf8(text); }

// A user's value as echoed in a message: at most `max_bytes` bytes, cut on a
// UTF-8 character boundary and followed by "…" when cut, so that a 1 MB value
// (or one repeated through YAML aliases) never floods stderr.
inline constexpr std::size_t kEchoMaxBytes = 40;
std::string shorten(std::string_view value, std::size_t max_bytes = kEchoMaxBytes);

// Levenshtein distance, for "did you mean" hints on misspelt names.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The name in `allowed` within edit distance 2 of `key` (the closest), or empty.
std::string_view closest_name(std::string_view key, std::span<const std::string_view> allowed);

}  // namespace halltwin
