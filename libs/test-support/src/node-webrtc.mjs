/**
 * Peer connections made in this process, referenced until it ends. @roamhq/wrtc can crash the
 * whole process (SIGSEGV) in the finalizer of a collected RTCPeerConnection, long after the test
 * that closed it; a connection never collected never runs that finalizer. Test processes are
 * short-lived, so the memory kept is bounded by one test file's peers.
 */
const kept = [];

const GLOBALS = [
  'RTCPeerConnection',
  'RTCSessionDescription',
  'RTCIceCandidate',
  'MediaStream',
  'MediaStreamTrack',
  'RTCRtpSender',
  'RTCRtpReceiver',
  'RTCRtpTransceiver',
];

/**
 * WebRTC in Node for mediasoup-client (real ICE, DTLS, SRTP, libvpx): installs the classes of
 * `wrtc` (the @roamhq/wrtc module, required by the caller: a large native addon that only the
 * WebRTC tests load) as the globals a browser has, and returns it.
 */
export function nodeWebRTC(wrtc) {
  for (const name of GLOBALS) globalThis[name] = wrtc[name];
  globalThis.RTCPeerConnection = new Proxy(wrtc.RTCPeerConnection, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(
        target,
        args,
        newTarget === globalThis.RTCPeerConnection ? target : newTarget,
      );
      kept.push(pc);
      return pc;
    },
  });
  return wrtc;
}
