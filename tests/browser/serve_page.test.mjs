// The page of `seedforge serve` in headless Debian chromium (puppeteer-core), as a user clicks it.
// Run by tests/cli/serve_test.cc (Serve.PageInChromium...), which starts the cluster and the
// server on an empty database:
//
//   node serve_page.test.mjs LOGIN_LINK DATABASE_URL EXPECTED_ROWS SCREENSHOT
//
// LOGIN_LINK is the one-time link serve printed; EXPECTED_ROWS the counts `default` gives, as
// "users=5,applications=10,...". Seeds `default` from the form, waits for the progress bar at
// 100%, checks the stats table, creates a snapshot, deletes rows with psql, restores the snapshot
// from the page (typing the database name into the confirmation) and checks the counts are back.
// Every request the page makes must go to the serve origin. Exit 0 when all holds; otherwise one
// line naming what did not, exit 1.
import { execFileSync } from "node:child_process";
import puppeteer from "puppeteer-core";

const [link, databaseUrl, expectedText, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error("usage: serve_page.test.mjs LOGIN_LINK DATABASE_URL EXPECTED_ROWS SCREENSHOT");
  process.exit(2);
}
const origin = new URL(link).origin;
const expected = Object.fromEntries(
  expectedText.split(",").map((pair) => [pair.split("=")[0], Number(pair.split("=")[1])]));
const waitLimit = { timeout: 300000 };

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// The table -> rows the page's stats table shows.
async function shownRows(page) {
  return page.$$eval("#stats tbody tr", (rows) => Object.fromEntries(rows.map(
      (row) => [row.dataset.table, Number(row.querySelector(".rows").textContent.replace(/,/g, ""))])));
}

// Waits until the stats table shows `rows` for every table of `rows`.
async function waitForRows(page, rows) {
  await page.waitForFunction((want) => {
    for (const [table, count] of Object.entries(want)) {
      const cell = document.querySelector(`#stats tbody tr[data-table="${table}"] .rows`);
      if (!cell || Number(cell.textContent.replace(/,/g, "")) !== count) return false;
    }
    return true;
  }, waitLimit, rows);
}

const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : [],
});
const foreign = [];
try {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== origin) {
      foreign.push(request.url());
      request.abort();
    } else {
      request.continue();
    }
  });
  let databaseName = "";
  page.on("dialog", async (dialog) => {
    // The restore asks for the database name, which the page's header shows.
    await dialog.accept(databaseName);
  });

  await page.goto(link, { waitUntil: "networkidle0" });
  await page.waitForSelector("#stats tbody tr", waitLimit);
  databaseName = await page.$eval("#database", (element) => element.textContent);
  const before = await shownRows(page);
  // An empty database: every table of default is absent (NaN, null once serialized).
  check(JSON.stringify(Object.keys(before)) === JSON.stringify(Object.keys(expected)) &&
            Object.values(before).every((n) => n === null),
        "an empty database shows: " + JSON.stringify(before));

  // Seed default from the form; the progress bar reaches 100%.
  await page.$eval("#seed-profile", (input) => { input.value = "default"; });
  await page.click("#seed-button");
  await page.waitForFunction(
      () => document.getElementById("progress-text").textContent === "100.0%" &&
            / completed /.test(document.getElementById("progress-state").textContent),
      waitLimit);
  check((await page.$eval("#progress-bar", (bar) => bar.style.width)) === "100%",
        "the progress bar is not full after the seed");
  await waitForRows(page, expected);

  // A snapshot from the page.
  await page.$eval("#snapshot-name", (input) => { input.value = "from-the-page"; });
  await page.click("#snapshot-create");
  await page.waitForSelector('#snapshots tbody tr[data-snapshot="from-the-page"]', waitLimit);

  // Rows deleted behind the page's back, then restored from it.
  execFileSync("psql", [databaseUrl, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                        "DELETE FROM events WHERE id > 40"]);
  await page.reload({ waitUntil: "networkidle0" });
  await waitForRows(page, { events: 40 });
  await page.click('#snapshots tbody tr[data-snapshot="from-the-page"] button.restore');
  await page.waitForFunction(
      () => document.getElementById("message").textContent === "snapshot from-the-page restored",
      waitLimit);
  await waitForRows(page, expected);
  await page.screenshot({ path: screenshot, fullPage: true });
  check(foreign.length === 0, "the page requested another origin: " + foreign.join(" "));
  console.log("page: seeded, snapshot created, restored: " + JSON.stringify(await shownRows(page)));
} catch (error) {
  console.error("serve page: " + error.message.split("\n")[0]);
  process.exitCode = 1;
} finally {
  await browser.close();
}
