// Runs pa11y (HTML_CodeSniffer, WCAG 2 AA) on each URL given, in one Debian Chromium, and prints
// {url: [issues]} as JSON (errors only). Usage: node tools/pa11y-check.js URL...
"use strict";
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  const out = {};
  try {
    for (const url of process.argv.slice(2)) {
      const page = await browser.newPage();
      const result = await pa11y(url, { browser, page, standard: "WCAG2AA", runners: ["htmlcs"],
                                        includeWarnings: false, includeNotices: false, timeout: 60000 });
      out[url] = result.issues.filter((i) => i.type === "error")
        .map((i) => ({ code: i.code, message: i.message, selector: i.selector }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out, null, 1) + "\n");
})().catch((error) => { console.error(error); process.exit(2); });
