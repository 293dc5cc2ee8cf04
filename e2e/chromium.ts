// How the tests start Chromium: Debian's, with fake devices that need no one to click.
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const chromiumArgs = [
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--auto-select-desktop-capture-source=Entire screen',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

/** Launch options whose fake camera is a 320x240 picture at 15 frames a second (a file
 * made once with ffmpeg) instead of Chromium's 640x480 at 30. Three people in a call on one
 * small test machine each encode their camera twice and decode two: a cost that people,
 * each on their own device, never share. With it the machine has room for what a test is
 * about (a recording of the grid, a shared screen). Issue 12 asks the same for five. */
export function smallCameras() {
  return fakeCamera(320, 240, 15);
}

/** Launch options whose fake camera is a `width`x`height` picture at `fps` frames a second. */
export function fakeCamera(width: number, height: number, fps: number) {
  const file = path.join(tmpdir(), `hearth-e2e-camera-${width}x${height}-${fps}.y4m`);
  if (!existsSync(file)) {
    const part = `${file}.${process.pid}.y4m`;
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
      '-t', '10', '-pix_fmt', 'yuv420p', part]);
    renameSync(part, file);
  }
  return {
    executablePath: '/usr/bin/chromium',
    args: [...chromiumArgs, `--use-file-for-fake-video-capture=${file}`],
  };
}
