// tsvector values in the form tsvector_send sends them (core/row_writer.h: RowWriter::TsVector).
//
// BuildTsVector() makes the lexemes of a text as to_tsvector('simple', text) does for plain words:
// every maximal run of ASCII letters and digits (and of bytes >= 0x80, taken as they are) is a
// word, numbered from 1; ASCII letters are lower-cased; a word's positions are kept (at most 255
// per lexeme, positions past 16383 counted as 16383, as the server does); words longer than 2047
// bytes are left out. The lexemes are sorted as the server sorts them (bytewise, a prefix
// first: tsCompareString), so the server stores exactly what was sent and prints it back as
// AppendTsVectorText() does. Punctuation inside a token the server's parser knows (e-mail
// addresses, URLs, decimals "3.5", hyphenated words) splits the word here but not there: feed it
// words, sentences and paragraphs.
#pragma once

#include <string>
#include <string_view>

namespace seedforge {

// Replaces `*send_form` with the tsvector of `text` in tsvector_send's form.
void BuildTsVector(std::string_view text, std::string* send_form);

// Appends the text tsvector_out prints for `send_form`: 'brown':3 'fox':1,4, lexemes in single
// quotes with ' and \ doubled; "" for no lexeme. REQUIRES: a form BuildTsVector made (or any
// valid tsvector_send form).
void AppendTsVectorText(std::string_view send_form, std::string* out);

// The most positions tsvector keeps per lexeme and the largest position.
inline constexpr int kMaxTsPositions = 255;
inline constexpr int kMaxTsPosition = 16383;
inline constexpr size_t kMaxTsLexemeBytes = 2047;

}  // namespace seedforge
