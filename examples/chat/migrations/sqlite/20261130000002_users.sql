-- The chat's users, and who wrote each message (null for messages from before logins,
-- or when the author's account is removed) and when (milliseconds since 1970).
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password TEXT NOT NULL
);
ALTER TABLE messages ADD COLUMN "userId" INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE messages ADD COLUMN "createdAt" INTEGER;
