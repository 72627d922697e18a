import { closeDb, getDb } from "./index";
import { databasePath } from "./connection";
import { migrateDatabase } from "./migrate";

migrateDatabase(getDb());
console.log(`Migrated ${databasePath()}`);
closeDb();
