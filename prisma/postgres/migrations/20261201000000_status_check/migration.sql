-- StatusUpdate.status may only be a status the bot knows (src/domain/statuses.ts; "not-started" is
-- the import's), so a forged value can never be saved, whatever the code above it does (issue 12).
-- A row with any other status can only have come from a forged request, and breaks every reading
-- of its item: dropped, as the SQLite rebuild leaves it behind.
DELETE FROM "StatusUpdate" WHERE "status" NOT IN ('not-started', 'on-track', 'at-risk', 'off-track', 'blocked', 'done');

-- AddCheckConstraint
ALTER TABLE "StatusUpdate" ADD CONSTRAINT "StatusUpdate_status_check" CHECK ("status" IN ('not-started', 'on-track', 'at-risk', 'off-track', 'blocked', 'done'));
