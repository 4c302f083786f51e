window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1146414990349508608"
          ],
          "editableUntil" : "2019-07-03T13:48:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "facebookdown",
            "indices" : [
              "203",
              "216"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "216"
      ],
      "favorite_count" : "4812",
      "id_str" : "1146414990349508608",
      "truncated" : false,
      "retweet_count" : "2290",
      "id" : "1146414990349508608",
      "created_at" : "Wed Jul 03 13:18:00 +0000 2019",
      "favorited" : false,
      "full_text" : "We’re aware that some people are having trouble uploading or sending images, videos and other files on our apps. We're sorry for the trouble and are working to get things back to normal as quickly as possible. #facebookdown",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "id_str" : "1146600000000000000",
      "id" : "1146600000000000000",
      "created_at" : "Thu Jul 04 01:
