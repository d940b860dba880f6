import { mountScanPage } from "../shared/scan-page.js";

mountScanPage();
