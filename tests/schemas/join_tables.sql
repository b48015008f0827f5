-- Join tables without an id, as hand-written schemas and Rails make them (and a partial unique
-- index beside them): a composite primary
-- key of two foreign keys (a course's students, with the enrolment's own columns), and a Rails
-- `has_and_belongs_to_many` table with no primary key at all (`create_join_table`), beside an
-- append-only log without a key. Used by tests/cli/join_tables_test.cc.

CREATE TABLE courses (
    id serial PRIMARY KEY,
    title text NOT NULL
);
CREATE TABLE students (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    email varchar(254) NOT NULL UNIQUE,
    nickname text
);
-- Unique among the students who chose one: init makes it unique over every row.
CREATE UNIQUE INDEX students_nickname_chosen_idx ON students (nickname)
    WHERE nickname IS NOT NULL;
CREATE TABLE enrolments (
    course_id integer NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    student_id bigint NOT NULL REFERENCES students (id),
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    grade smallint CHECK (grade BETWEEN 0 AND 100),
    PRIMARY KEY (course_id, student_id)
);
CREATE TABLE courses_students (
    course_id bigint NOT NULL,
    student_id bigint NOT NULL
);
CREATE INDEX index_courses_students_on_course_id_and_student_id
    ON courses_students (course_id, student_id);
CREATE TABLE audit_log (
    student_id bigint REFERENCES students (id),
    action text NOT NULL CHECK (action IN ('login', 'logout', 'submit')),
    at timestamptz NOT NULL
);
