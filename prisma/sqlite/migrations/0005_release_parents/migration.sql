-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReleaseItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "releaseId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "fromVersion" INTEGER NOT NULL,
    "toVersion" INTEGER,
    "fromContent" TEXT NOT NULL DEFAULT '',
    "toContent" TEXT NOT NULL DEFAULT '',
    "parent" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_ReleaseItem" ("fromContent", "fromVersion", "id", "op", "path", "releaseId", "toContent", "toVersion") SELECT "fromContent", "fromVersion", "id", "op", "path", "releaseId", "toContent", "toVersion" FROM "ReleaseItem";
DROP TABLE "ReleaseItem";
ALTER TABLE "new_ReleaseItem" RENAME TO "ReleaseItem";
CREATE INDEX "ReleaseItem_releaseId_idx" ON "ReleaseItem"("releaseId");
CREATE INDEX "ReleaseItem_path_idx" ON "ReleaseItem"("path");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

