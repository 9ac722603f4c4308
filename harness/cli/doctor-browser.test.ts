// doctor's browser part: without Chromium every browser backend is listed as not usable, saying how
// to install it; with it, the build and the renderers are printed (the fixture stands for a real run).
import { expect } from 'chai';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { browserBackendNames } from '../runtime/backends.ts';
import { browserLines, describeBrowser, type BrowserReport } from './doctor-browser.ts';

describe('doctor: the browser part', () => {
  it('without Chromium, names the missing executable for the browser and every browser backend', async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const report = await describeBrowser(await loadRuntime());
      expect(report.build).to.equal(undefined);
      expect(report.problem).to.match(/\/nonexistent\/chromium is not installed \(apt-get install -y chromium, or set CHROMIUM_PATH\)/);
      expect(report.backends.map((b) => b.backend)).to.deep.equal(browserBackendNames);
      for (const b of report.backends) {
        expect(b.usable, b.backend).to.equal(false);
        expect(b.reason, b.backend).to.match(/\/nonexistent\/chromium is not installed/);
      }
      expect(browserLines(report)[0]).to.match(/^chromium\s+not usable: \/nonexistent\/chromium is not installed/);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  it('prints the build, the WebGL renderer and the WebGPU adapter', () => {
    const report: BrowserReport = {
      chromium: '/usr/bin/chromium',
      build: 'Chromium 150.0.7871.100',
      renderers: { webgl: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', webgpu: 'google swiftshader' },
      webgpuPackage: '4.22.0',
      fingerprints: {},
      backends: [],
    };
    expect(browserLines(report).map((l) => l.replace(/\s+/g, ' '))).to.deep.equal([
      'chromium Chromium 150.0.7871.100 (/usr/bin/chromium)',
      ' webgl renderer ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
      ' webgpu adapter google swiftshader',
      '@tensorflow/tfjs-backend-webgpu 4.22.0',
    ]);
  });
});
