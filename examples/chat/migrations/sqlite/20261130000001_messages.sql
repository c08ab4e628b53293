-- The chat's messages. AUTOINCREMENT: an id is never handed out twice, even after
-- the newest message was removed.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL
);
