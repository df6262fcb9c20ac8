-- Session version (existing users start at 0; their current sessions carry no version and end at the next request).
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- Sign-in rate limiting (rate-limiter-flexible's Prisma store).
CREATE TABLE "SignInRateLimit" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL,
    "expire" DATETIME
);
