/** The w2meet version, written into labels and reports. Kept equal to package.json's. */
export const VERSION = '0.1.0';
