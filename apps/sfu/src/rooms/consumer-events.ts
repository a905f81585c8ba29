import type { types } from 'mediasoup';
import type { Peer } from './peer';

/** What a consumer's owner is told about it: closed with its producer, score (now and on each
 * change), layers. */
export function tellAboutConsumer(peer: Peer, consumer: types.Consumer): void {
  const { producerId } = consumer;
  consumer.on('producerclose', () => {
    peer.notify('consumerClosed', { consumerId: consumer.id, producerId });
    consumer.close();
  });
  consumer.on('score', (score) => peer.notify('score', { consumerId: consumer.id, score }));
  // mediasoup tells a score only when it changes: a consumer of a producer whose score had
  // already settled, on a clean line, would never hear one (the quality badge stays unknown).
  peer.notify('score', { consumerId: consumer.id, score: consumer.score });
  consumer.on('layerschange', (layers) =>
    peer.notify('consumerLayersChanged', {
      consumerId: consumer.id,
      spatialLayer: layers?.spatialLayer ?? null,
      temporalLayer: layers?.temporalLayer ?? null,
    }),
  );
}
