-- Messages by their author: what a find scoped to one user, a query on `userId`, and
-- the removal of an account (which sets its messages' `userId` to null) look up.
CREATE INDEX messages_by_author ON messages ("userId");
