// What shoppers will see: the chat panel in the brand colour with the avatar and greeting, as the widget
// draws it (apps/widget), updated as the owner types.
export function WebchatPreview(props: {
  brandColor: string
  greeting: string
  avatarUrl: string
  title: string
}) {
  const color = /^#[0-9a-fA-F]{6}$/.test(props.brandColor) ? props.brandColor : '#2f4858'
  const avatar = /^https?:\/\//.test(props.avatarUrl) ? props.avatarUrl : ''
  return (
    <figure className="webchat-preview" aria-label="Preview of the chat on your store">
      <div className="webchat-preview-panel">
        <div className="webchat-preview-head" style={{ background: color }}>
          {avatar ? (
            <img src={avatar} alt="" className="webchat-preview-avatar" />
          ) : (
            <span className="webchat-preview-avatar placeholder" aria-hidden="true">
              {props.title.slice(0, 1)}
            </span>
          )}
          <span>{props.title}</span>
        </div>
        <div className="webchat-preview-body">
          {props.greeting ? <p className="webchat-preview-bubble">{props.greeting}</p> : null}
          <p className="webchat-preview-bubble mine" style={{ background: color }}>
            Is the linen shirt still in stock?
          </p>
        </div>
        <div className="webchat-preview-composer">
          <span>Type a message…</span>
          <span className="webchat-preview-send" style={{ background: color }}>
            Send
          </span>
        </div>
      </div>
      <div className="webchat-preview-launcher" style={{ background: color }} aria-hidden="true">
        {/* The widget's own launcher icon (apps/widget/src/chat-widget.ts). */}
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          width="22"
          height="22"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z" />
        </svg>
      </div>
      <figcaption className="field-hint">Preview</figcaption>
    </figure>
  )
}
