-- An application whose tables are keyed by UUIDs (as Rails, Django's UUIDField, Prisma or
-- Supabase make them), with one author the application inserted itself.
CREATE TABLE authors (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    email text UNIQUE
);
CREATE TABLE books (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    author_id uuid NOT NULL REFERENCES authors (id),
    title varchar(200) NOT NULL,
    price numeric(8,2) CHECK (price > 0)
);
CREATE TABLE reviews (
    id bigserial PRIMARY KEY,
    book_id uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    stars integer NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body text
);
INSERT INTO authors (id, name, email)
VALUES ('3b7f6a52-9c1d-4e8f-a2b4-5d6e7f8a9b0c', 'Site Owner', 'owner@example.org');
