-- An editorial app whose triggers do part of the work, as applications write them: a BEFORE
-- INSERT trigger fills an article's slug and word count from its other columns, an AFTER INSERT
-- trigger writes one row per article into an audit log, and a trigger on comments keeps a
-- counter on their article up to date.
CREATE TABLE authors (
  id bigint PRIMARY KEY,
  name varchar(80) NOT NULL,
  email varchar(120) NOT NULL UNIQUE
);

CREATE TABLE articles (
  id bigint PRIMARY KEY,
  author_id bigint NOT NULL REFERENCES authors (id),
  title varchar(120) NOT NULL,
  body text NOT NULL,
  slug text NOT NULL UNIQUE,
  word_count integer NOT NULL CHECK (word_count > 0),
  comment_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL
);

CREATE TABLE comments (
  id bigint PRIMARY KEY,
  article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  body text NOT NULL
);

-- No foreign key: the log outlives what it logs.
CREATE TABLE article_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id bigint NOT NULL,
  action text NOT NULL,
  logged_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION articles_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The slug is the title's words, joined by dashes, and the id: unique as the id is.
  NEW.slug := trim(both '-' from lower(regexp_replace(NEW.title, '[^a-zA-Z0-9]+', '-', 'g')))
              || '-' || NEW.id;
  NEW.word_count = coalesce(array_length(regexp_split_to_array(trim(NEW.body), '\s+'), 1), 1);
  RETURN NEW;
END
$$;
CREATE TRIGGER articles_fill BEFORE INSERT OR UPDATE OF title, body ON articles
  FOR EACH ROW EXECUTE FUNCTION articles_fill();

CREATE FUNCTION articles_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO article_log (article_id, action) VALUES (NEW.id, 'created');
  RETURN NULL;
END
$$;
CREATE TRIGGER articles_log AFTER INSERT ON articles
  FOR EACH ROW EXECUTE FUNCTION articles_log();

CREATE FUNCTION comments_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE articles SET comment_count = comment_count + 1 WHERE id = NEW.article_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER comments_count AFTER INSERT ON comments
  FOR EACH ROW EXECUTE FUNCTION comments_count();
