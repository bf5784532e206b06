//! Parents' letters by the article's rules (filled in below).
